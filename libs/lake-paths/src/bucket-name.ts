import { assertAccountId } from './account-id';
import type { Brand, InZone } from './brand';
import { ENVS, parseEnv, type Env } from './env';
import { LakePathError } from './lake-path-error';
import { assertS3BucketName } from './s3-bucket-rules';
import { ZONES, parseZone, type Zone } from './zone';

/** A lake bucket's name, `finks-<env>-<zone>-<accountId>`, checked against S3's rules. */
export type BucketName<Z extends Zone = Zone> = Brand<string, 'BucketName'> & InZone<Z>;

/** What a lake bucket's name is made of. */
export interface LakeBucket<Z extends Zone = Zone> {
  readonly env: Env;
  readonly zone: Z;
  /** The 12-digit AWS account that owns the bucket; bucket names are global, so it keeps ours unique. */
  readonly accountId: string;
}

const FORMAT = 'finks-<env>-<zone>-<12-digit account id>';
// Zones may contain hyphens (athena-results), so the parser anchors on the known lists rather
// than splitting on "-".
const LAKE_BUCKET = new RegExp(
  `^finks-(?<env>${ENVS.join('|')})-(?<zone>${ZONES.join('|')})-(?<accountId>\\d{12})$`,
);

export function bucketName<Z extends Zone>(bucket: LakeBucket<Z>): BucketName<Z> {
  const env = parseEnv(bucket.env);
  const zone = parseZone(bucket.zone);
  assertAccountId(bucket.accountId);
  const name = `finks-${env}-${zone}-${bucket.accountId}`;
  assertS3BucketName(name);
  return name as BucketName<Z>;
}

export function parseBucketName(name: string): LakeBucket {
  assertS3BucketName(name);
  const match = LAKE_BUCKET.exec(name);
  if (!match) {
    throw new LakePathError({
      code: 'invalid_bucket',
      part: 'bucket',
      value: name,
      problem: `is not a lake bucket (expected ${FORMAT}, env one of ${ENVS.join(', ')}, zone one of ${ZONES.join(', ')})`,
    });
  }
  const { env = '', zone = '', accountId = '' } = match.groups ?? {};
  return { env: parseEnv(env), zone: parseZone(zone), accountId };
}
