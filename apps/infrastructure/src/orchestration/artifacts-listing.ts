import { bucketArn } from '../common/arns';
import type { Statement } from '../common/policy-document';
import type { PermissionContext } from './permission-context';

/**
 * s3:ListBucket on the artifacts bucket, for roles that read keys there which may be absent. S3
 * answers a GetObject of a missing key with 404 NoSuchKey only to a caller that may list the
 * bucket, and with 403 AccessDenied to any other; the apps take only NoSuchKey for "absent".
 * Deliberately not narrowed with an `s3:prefix` condition: a GetObject request carries no
 * s3:prefix, and AWS documents no such narrowing of that check, so a conditioned grant may leave
 * the missing key a 403. Listing shows key names only, never an object's content.
 */
export function listArtifacts(context: Pick<PermissionContext, 'buckets'>): Statement {
  return {
    Sid: 'ListArtifacts',
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: bucketArn(context.buckets.artifacts),
  };
}
