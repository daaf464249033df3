import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bronzeBatchKey, bronzeRunPrefix } from './bronze-keys';
import { bucketName } from './bucket-name';
import { lakeLocation, parseLocalPath, parseS3Uri, toLocalPath, toS3Uri } from './lake-location';
import { silverDatasetPrefix } from './silver-keys';
import { accountIdArb, batchPartArb, envArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

const bronze = bucketName({ env: 'prod', zone: 'bronze', accountId: '123456789012' });
const silver = bucketName({ env: 'local', zone: 'silver', accountId: '000000000000' });
const ref = {
  source: 'fmp',
  dataset: 'quotes',
  dt: '2026-11-25',
  runId: '20261125T101500Z-ab12cd',
  part: 0,
};
const lakeRoot = '/var/lib/finks/lake';

describe('S3 URIs', () => {
  it('renders s3://bucket/key, keeping a prefix’s trailing slash', () => {
    expect(toS3Uri(lakeLocation(bronze, bronzeBatchKey(ref)))).toBe(
      's3://finks-prod-bronze-123456789012/source=fmp/dataset=quotes/dt=2026-11-25/run=20261125T101500Z-ab12cd/part-00000.ndjson.gz',
    );
    expect(toS3Uri(lakeLocation(silver, silverDatasetPrefix(ref)))).toBe(
      's3://finks-local-silver-000000000000/source=fmp/dataset=quotes/',
    );
  });

  it('parses them back', () => {
    const uri = 's3://finks-prod-bronze-123456789012/source=fmp/dataset=quotes/';
    expect(parseS3Uri(uri)).toEqual({
      bucket: 'finks-prod-bronze-123456789012',
      key: 'source=fmp/dataset=quotes/',
    });
  });

  it.each([
    [
      's3a://finks-prod-bronze-123456789012/a',
      'uses the scheme "s3a:", but only s3:// is a lake location',
    ],
    ['https://finks-prod-bronze-123456789012.s3.amazonaws.com/a', 'uses the scheme "https:"'],
    ['file:///var/lib/finks/lake/a', 'uses the scheme "file:"'],
    ['finks-prod-bronze-123456789012/a', 'has no scheme (expected s3://<bucket>/<key>)'],
    ['s3:/finks-prod-bronze-123456789012/a', 'does not start with s3://'],
    ['s3://finks-prod-bronze-123456789012', 'has no key after the bucket'],
    ['s3://finks-prod-bronze-123456789012/', 'has no key after the bucket'],
  ])('rejects %j with a clear message', (uri, problem) => {
    const error = catchLakePathError(() => parseS3Uri(uri));
    expect(error).toMatchObject({ code: 'invalid_uri', part: 'uri', value: uri });
    expect(error.message).toContain(`uri "${uri}" ${problem}`);
  });

  it('checks the bucket and the key it finds', () => {
    expect(catchLakePathError(() => parseS3Uri('s3://somebody-elses-bucket/a')).code).toBe(
      'invalid_bucket',
    );
    const key = catchLakePathError(() => parseS3Uri('s3://finks-prod-bronze-123456789012/a/../b'));
    expect(key).toMatchObject({ code: 'invalid_segment', value: '..' });
  });

  it('round-trips every location', () => {
    fc.assert(
      fc.property(envArb, accountIdArb, batchPartArb, (env, accountId, part) => {
        const location = lakeLocation(
          bucketName({ env, zone: 'bronze', accountId }),
          bronzeBatchKey(part),
        );
        expect(parseS3Uri(toS3Uri(location))).toEqual(location);
        const prefix = lakeLocation(location.bucket, bronzeRunPrefix(part));
        expect(parseS3Uri(toS3Uri(prefix))).toEqual(prefix);
      }),
    );
  });
});

describe('local lake paths', () => {
  it('puts the same key under <lakeRoot>/<bucket>/', () => {
    expect(toLocalPath(lakeLocation(bronze, bronzeBatchKey(ref)), lakeRoot)).toBe(
      join(lakeRoot, 'finks-prod-bronze-123456789012', bronzeBatchKey(ref)),
    );
    expect(toLocalPath(lakeLocation(silver, silverDatasetPrefix(ref)), lakeRoot)).toBe(
      '/var/lib/finks/lake/finks-local-silver-000000000000/source=fmp/dataset=quotes/',
    );
  });

  it('refuses a relative lake root', () => {
    const error = catchLakePathError(() =>
      toLocalPath(lakeLocation(bronze, bronzeBatchKey(ref)), 'data/lake'),
    );
    expect(error).toMatchObject({
      code: 'invalid_local_path',
      part: 'lakeRoot',
      value: 'data/lake',
    });
    expect(error.message).toContain('is not an absolute path');
  });

  it.each([
    ['/var/lib/finks/other/finks-prod-bronze-123456789012/a', 'is not inside the lake root'],
    ['/var/lib/finks/lake', 'is not inside the lake root'],
    ['/var/lib/finks/lake/finks-prod-bronze-123456789012', 'is a bucket folder'],
    ['relative/a', 'is not an absolute path'],
  ])('refuses to read %j', (path, problem) => {
    const error = catchLakePathError(() => parseLocalPath(path, lakeRoot));
    expect(error.code).toBe('invalid_local_path');
    expect(error.message).toContain(problem);
  });

  it('round-trips every location', () => {
    fc.assert(
      fc.property(envArb, accountIdArb, batchPartArb, (env, accountId, part) => {
        const bucket = bucketName({ env, zone: 'bronze', accountId });
        for (const location of [
          lakeLocation(bucket, bronzeBatchKey(part)),
          lakeLocation(bucket, bronzeRunPrefix(part)),
        ]) {
          expect(parseLocalPath(toLocalPath(location, lakeRoot), lakeRoot)).toEqual(location);
        }
      }),
    );
  });
});
