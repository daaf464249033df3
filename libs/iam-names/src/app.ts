import { IamNameError } from './iam-name-error';

/** The deployable apps of the monorepo; each owns its AWS resources. */
export const APPS = ['infrastructure', 'pipelines', 'dbt-runner', 'ingestion'] as const;

export type App = (typeof APPS)[number];

export function isApp(value: unknown): value is App {
  return typeof value === 'string' && (APPS as readonly string[]).includes(value);
}

export function assertApp(value: string): App {
  if (isApp(value)) return value;
  throw new IamNameError({
    code: 'invalid_app',
    part: 'app',
    value,
    problem: `is not a Finks app (expected one of ${APPS.join(', ')})`,
  });
}
