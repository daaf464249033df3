import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketName, parseBucketName } from './bucket-name';
import type { Env } from './env';
import { accountIdArb, envArb, zoneArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';
import type { Zone } from './zone';

const accountId = '123456789012';

describe('bucketName', () => {
  it('is finks-<env>-<zone>-<accountId>', () => {
    expect(bucketName({ env: 'prod', zone: 'bronze', accountId })).toBe(
      'finks-prod-bronze-123456789012',
    );
    expect(bucketName({ env: 'staging', zone: 'athena-results', accountId })).toBe(
      'finks-staging-athena-results-123456789012',
    );
    expect(bucketName({ env: 'local', zone: 'artifacts', accountId: '000000000000' })).toBe(
      'finks-local-artifacts-000000000000',
    );
  });

  it('rejects an unknown env or zone, naming it', () => {
    const env = catchLakePathError(() => bucketName({ env: 'qa' as Env, zone: 'gold', accountId }));
    expect(env).toMatchObject({ code: 'invalid_env', part: 'env', value: 'qa' });
    const zone = catchLakePathError(() =>
      bucketName({ env: 'dev', zone: 'platinum' as Zone, accountId }),
    );
    expect(zone).toMatchObject({ code: 'invalid_zone', part: 'zone', value: 'platinum' });
  });

  it.each(['12345678901', '1234567890123', '12345678901a', ''])(
    'rejects the account id %j',
    (bad) => {
      const error = catchLakePathError(() =>
        bucketName({ env: 'dev', zone: 'gold', accountId: bad }),
      );
      expect(error.code).toBe('invalid_account_id');
      expect(error.message).toBe(
        `accountId ${JSON.stringify(bad)} is not an AWS account id (expected exactly 12 digits)`,
      );
    },
  );

  it('always satisfies S3 naming rules and parses back', () => {
    fc.assert(
      fc.property(envArb, zoneArb, accountIdArb, (env, zone, id) => {
        const name = bucketName({ env, zone, accountId: id });
        expect(name.length).toBeGreaterThanOrEqual(3);
        expect(name.length).toBeLessThanOrEqual(63);
        expect(name).toMatch(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/);
        expect(name).not.toMatch(/\.\.|^xn--|-s3alias$/);
        expect(parseBucketName(name)).toEqual({ env, zone, accountId: id });
      }),
    );
  });
});

describe('parseBucketName', () => {
  it('reads env, zone and account id, including zones with hyphens', () => {
    expect(parseBucketName('finks-dev-athena-results-123456789012')).toEqual({
      env: 'dev',
      zone: 'athena-results',
      accountId,
    });
  });

  it.each([
    ['ab', 'must be 3–63 characters long'],
    ['a'.repeat(64), 'must be 3–63 characters long'],
    ['Finks-dev-gold-123456789012', 'may contain only lowercase letters, digits, dots and hyphens'],
    ['finks_dev', 'may contain only lowercase letters, digits, dots and hyphens'],
    ['-finks-dev', 'must start and end with a lowercase letter or digit'],
    ['finks-dev-', 'must start and end with a lowercase letter or digit'],
    ['finks..dev', 'must not contain two adjacent dots'],
    ['192.168.5.4', 'must not look like an IP address'],
    ['xn--finks-dev', 'must not start with a prefix S3 reserves'],
    ['sthree-finks', 'must not start with a prefix S3 reserves'],
    ['finks-dev-s3alias', 'must not end with a suffix S3 reserves'],
    ['finks-dev--ol-s3', 'must not end with a suffix S3 reserves'],
  ])('rejects %j by the S3 rule it breaks', (name, rule) => {
    const error = catchLakePathError(() => parseBucketName(name));
    expect(error).toMatchObject({ code: 'invalid_bucket', part: 'bucket', value: name });
    expect(error.message).toContain(`bucket ${JSON.stringify(name)} ${rule}`);
  });

  it.each([
    'my-data-bucket',
    'finks-qa-bronze-123456789012',
    'finks-dev-platinum-123456789012',
    'finks-dev-bronze-1234',
    'finks-dev-bronze-123456789012-extra',
  ])('rejects %j, which is a valid S3 name but not a lake bucket', (name) => {
    const error = catchLakePathError(() => parseBucketName(name));
    expect(error.code).toBe('invalid_bucket');
    expect(error.message).toMatch(
      new RegExp(`^bucket "${name}" is not a lake bucket \\(expected finks-<env>-<zone>-`),
    );
  });
});
