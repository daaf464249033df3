import { isAbsolute, join, relative, sep } from 'node:path';
import { bucketName, parseBucketName, type BucketName } from './bucket-name';
import { LakePathError } from './lake-path-error';
import { parseLakeKey, parseLakePrefix, type LakeKey, type LakePrefix } from './lake-key';
import type { Zone } from './zone';

/** An object or prefix in the lake: the same bucket and key on S3 and in the local lake. */
export interface LakeLocation<Z extends Zone = Zone> {
  readonly bucket: BucketName<Z>;
  readonly key: LakeKey<Z> | LakePrefix<Z>;
}

/** Pairs a bucket with a key of the same zone; a silver key in a bronze bucket does not compile. */
export function lakeLocation<Z extends Zone>(
  bucket: BucketName<Z>,
  key: LakeKey<NoInfer<Z>> | LakePrefix<NoInfer<Z>>,
): LakeLocation<Z> {
  return { bucket, key };
}

/** `s3://<bucket>/<key>`; a prefix keeps its trailing `/`, as Glue and Athena locations expect. */
export function toS3Uri(location: LakeLocation): string {
  return `s3://${location.bucket}/${location.key}`;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const S3_URI = 's3://<bucket>/<key>';

/** Parses `s3://<bucket>/<key>` back, checking the bucket and key against the lake's rules. */
export function parseS3Uri(uri: string): LakeLocation {
  const fail = (problem: string): never => {
    throw new LakePathError({ code: 'invalid_uri', part: 'uri', value: uri, problem });
  };
  const scheme = SCHEME.exec(uri)?.[1];
  if (scheme === undefined) fail(`has no scheme (expected ${S3_URI})`);
  if (scheme !== 's3') {
    fail(`uses the scheme "${scheme}:", but only s3:// is a lake location (expected ${S3_URI})`);
  }
  if (!uri.startsWith('s3://')) fail(`does not start with s3:// (expected ${S3_URI})`);
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  if (slash === -1 || slash === rest.length - 1) {
    fail(`has no key after the bucket (expected ${S3_URI})`);
  }
  const key = rest.slice(slash + 1);
  return {
    bucket: bucketName(parseBucketName(rest.slice(0, slash))),
    key: key.endsWith('/') ? parseLakePrefix(key) : parseLakeKey(key),
  };
}

function assertAbsolute(path: string, part: string): void {
  if (isAbsolute(path)) return;
  throw new LakePathError({
    code: 'invalid_local_path',
    part,
    value: path,
    // nx runs each target from its project folder, so a relative root would give every project
    // its own lake.
    problem:
      "is not an absolute path (a relative one resolves against each process's working directory)",
  });
}

/** `<lakeRoot>/<bucket>/<key>`: where the local embedded lake keeps the object. */
export function toLocalPath(location: LakeLocation, lakeRoot: string): string {
  assertAbsolute(lakeRoot, 'lakeRoot');
  return join(lakeRoot, location.bucket, location.key);
}

/** The location of a file or folder (ending in the path separator) inside the local lake. */
export function parseLocalPath(path: string, lakeRoot: string): LakeLocation {
  assertAbsolute(lakeRoot, 'lakeRoot');
  assertAbsolute(path, 'path');
  const inside = relative(lakeRoot, path);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new LakePathError({
      code: 'invalid_local_path',
      part: 'path',
      value: path,
      problem: `is not inside the lake root ${JSON.stringify(lakeRoot)}`,
    });
  }
  const [bucket = '', ...segments] = inside.split(sep);
  if (segments.length === 0) {
    throw new LakePathError({
      code: 'invalid_local_path',
      part: 'path',
      value: path,
      problem: 'is a bucket folder, not an object or prefix inside one',
    });
  }
  const key = segments.join('/');
  return {
    bucket: bucketName(parseBucketName(bucket)),
    key: path.endsWith(sep) ? parseLakePrefix(`${key}/`) : parseLakeKey(key),
  };
}
