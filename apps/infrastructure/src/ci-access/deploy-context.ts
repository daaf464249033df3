import { iamPolicyName } from '@finks/iam-names';
import type { Zone } from '@finks/lake-paths';
import type { AwsEnv } from '../common/aws-env';

/** What the CI role policies are computed from: names known before the resources exist. */
export interface DeployContext {
  readonly env: AwsEnv;
  readonly region: string;
  readonly accountId: string;
  readonly buckets: Readonly<Record<Zone, string>>;
  /** The S3 access-log bucket of the lake (not a zone). */
  readonly accessLogBucket: string;
  readonly kmsKeyArn: string;
  /** Bucket holding Pulumi state, when the state lives in S3 (`pulumi login s3://…`). */
  readonly stateBucket?: string;
}

/** The managed policy every role of the program carries as its permissions boundary. */
export function permissionsBoundaryName(env: AwsEnv): string {
  return iamPolicyName({ app: 'infrastructure', env, component: 'permissions-boundary' });
}

export function permissionsBoundaryArn(context: Pick<DeployContext, 'env' | 'accountId'>): string {
  return `arn:aws:iam::${context.accountId}:policy/${permissionsBoundaryName(context.env)}`;
}
