/**
 * Where the platform runs. `local` is a developer machine (filesystem lake, moto, DuckDB); the
 * others are AWS accounts. Same list, same order as `@finks/lake-paths` uses for key prefixes.
 */
export const ENVIRONMENTS = ['local', 'dev', 'staging', 'prod'] as const;

export type FinksEnv = (typeof ENVIRONMENTS)[number];

export const DEFAULT_ENV: FinksEnv = 'local';

export function isFinksEnv(value: unknown): value is FinksEnv {
  return typeof value === 'string' && (ENVIRONMENTS as readonly string[]).includes(value);
}
