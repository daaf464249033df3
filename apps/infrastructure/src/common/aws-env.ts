import type { Env } from '@finks/lake-paths';

/** The environments that are AWS accounts, one Pulumi stack each (`local` has no cloud). */
export const AWS_ENVS = ['dev', 'staging', 'prod'] as const;

export type AwsEnv = Extract<Env, (typeof AWS_ENVS)[number]>;

export function isAwsEnv(value: unknown): value is AwsEnv {
  return typeof value === 'string' && (AWS_ENVS as readonly string[]).includes(value);
}
