import { ENVS, ZONES, isEnv, isZone, type Env, type Zone } from '@finks/lake-paths';
import { IamNameError } from './iam-name-error';

/**
 * Kebab-case words: lowercase letters and digits joined by single hyphens. Every AWS name we build
 * accepts these characters, and `_` is left out on purpose: it marks a shortened name (see
 * `fitName`), so no full name can ever equal a shortened one.
 */
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function assertEnv(value: string): Env {
  if (isEnv(value)) return value;
  throw new IamNameError({
    code: 'invalid_env',
    part: 'env',
    value,
    problem: `is not an environment (expected one of ${ENVS.join(', ')})`,
  });
}

export function assertZone(value: string): Zone {
  if (isZone(value)) return value;
  throw new IamNameError({
    code: 'invalid_zone',
    part: 'zone',
    value,
    problem: `is not a lake zone (expected one of ${ZONES.join(', ')})`,
  });
}

/** Checks a component or purpose word such as `glue-job` or `fmp-api-key`. */
export function assertKebab(value: string, part: string): string {
  if (KEBAB.test(value)) return value;
  throw new IamNameError({
    code: 'invalid_component',
    part,
    value,
    problem:
      value === ''
        ? 'is empty (expected kebab-case, e.g. bronze-to-silver)'
        : 'is not kebab-case (expected lowercase letters and digits in words joined by single hyphens, e.g. bronze-to-silver; _ is reserved for shortened names)',
  });
}
