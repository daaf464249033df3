import type { AwsEnv } from './aws-env';

/** Tags the policy pack requires on every taggable resource (see policies/finks-policies.ts). */
export const REQUIRED_TAGS = ['env', 'project', 'owner', 'cost-center'] as const;

export interface TagContext {
  readonly env: AwsEnv;
  readonly owner: string;
  readonly costCenter: string;
}

export type Tags = Readonly<Record<string, string>>;

/** The required tags plus `component`, which says which part of the platform a resource serves. */
export function finksTags(context: TagContext, component: string): Tags {
  return {
    env: context.env,
    project: 'finks',
    owner: context.owner,
    'cost-center': context.costCenter,
    component,
  };
}
