// Arguments shared by the component tests.
import type { RetentionConfig } from '@finks/config';
import { ZONES, bucketName, type Zone } from '@finks/lake-paths';
import type { AwsEnv } from '../common/aws-env';
import { finksTags } from '../common/tags';

export const ACCOUNT_ID = '111111111111';
export const REGION = 'ca-central-1';

export const RETENTION: RetentionConfig = {
  bronzeInfrequentAccessDays: 30,
  bronzeGlacierDays: 90,
  quarantineExpirationDays: 14,
  noncurrentVersionExpirationDays: 7,
  logRetentionDays: 14,
} as RetentionConfig;

export function testTags(env: AwsEnv) {
  return finksTags({ env, owner: 'platform', costCenter: 'data-platform' }, 'test');
}

export function lakeBuckets(env: AwsEnv): Record<Zone, string> {
  const buckets = {} as Record<Zone, string>;
  for (const zone of ZONES) buckets[zone] = bucketName({ env, zone, accountId: ACCOUNT_ID });
  return buckets;
}

export const KMS_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/test`;

/** The PermissionsBoundary policy as components receive it. */
export const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT_ID}:policy/finks-test-permissions-boundary`;
