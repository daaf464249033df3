import { LakePathError } from './lake-path-error';

/** Where the platform runs; `local` is the embedded filesystem lake on a developer machine. */
export const ENVS = ['local', 'dev', 'staging', 'prod'] as const;

export type Env = (typeof ENVS)[number];

export function isEnv(value: unknown): value is Env {
  return typeof value === 'string' && (ENVS as readonly string[]).includes(value);
}

export function parseEnv(value: string, part = 'env'): Env {
  if (isEnv(value)) return value;
  throw new LakePathError({
    code: 'invalid_env',
    part,
    value,
    problem: `is not an environment (expected one of ${ENVS.join(', ')})`,
  });
}
