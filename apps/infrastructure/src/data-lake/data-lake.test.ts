import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, REGION, RETENTION, testTags } from '../testing/component-fixtures';
import {
  installMocks,
  ofType,
  parsedPolicy,
  settle,
  type MockedResource,
} from '../testing/pulumi-mocks';

let resources: readonly MockedResource[] = [];

beforeAll(async () => {
  await installMocks();
  const { DataLake } = await import('./data-lake');
  new DataLake('lake', {
    env: 'staging',
    accountId: ACCOUNT_ID,
    region: REGION,
    retention: RETENTION,
    tags: testTags('staging'),
  });
  resources = await settle();
});

describe('DataLake', () => {
  it('creates a rotating customer-managed key and a bucket per zone plus the access-log bucket', () => {
    expect(ofType(resources, 'aws:kms/key:Key')[0]?.inputs['enableKeyRotation']).toBe(true);
    expect(
      ofType(resources, 'aws:s3/bucket:Bucket').map((bucket) => bucket.inputs['bucket']),
    ).toEqual([
      'finks-staging-access-logs-111111111111',
      'finks-staging-bronze-111111111111',
      'finks-staging-silver-111111111111',
      'finks-staging-gold-111111111111',
      'finks-staging-quarantine-111111111111',
      'finks-staging-artifacts-111111111111',
      'finks-staging-athena-results-111111111111',
    ]);
  });

  it('parents every child to the component', () => {
    const children = resources.filter((resource) => resource.type.startsWith('aws:'));
    expect(children.length).toBeGreaterThan(40);
  });

  it('lets AWS services use the key only for this account (no confused deputy)', () => {
    const [key] = ofType(resources, 'aws:kms/key:Key');
    const statements = parsedPolicy(key?.inputs['policy']).Statement;
    const services = statements.filter(
      (statement) => (statement.Principal as { Service?: string } | undefined)?.Service,
    );
    expect(services.map((statement) => statement.Sid)).toEqual([
      'CloudWatchLogsUse',
      'AlarmsPublishToEncryptedTopic',
      'EventsPublishToEncryptedTopic',
    ]);
    for (const statement of services) expect(statement.Condition, statement.Sid).toBeDefined();
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid);
    expect(bySid('CloudWatchLogsUse')?.Condition).toEqual({
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${ACCOUNT_ID}:*`,
      },
    });
    expect(bySid('AlarmsPublishToEncryptedTopic')?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': ACCOUNT_ID },
    });
  });

  it('keeps staging buckets on destroy', () => {
    for (const bucket of ofType(resources, 'aws:s3/bucket:Bucket'))
      expect(bucket.inputs['forceDestroy']).toBe(false);
  });
});

describe('lifecycleRules', () => {
  it('gives only bronze transitions and only quarantine and athena-results expirations', async () => {
    const { lifecycleRules } = await import('./data-lake');
    const ids = (zone: Parameters<typeof lifecycleRules>[0]) =>
      lifecycleRules(zone, RETENTION).map((rule) => rule.id);
    expect(ids('bronze')).toEqual(['expire-noncurrent-versions', 'bronze-tiering']);
    expect(ids('quarantine')).toEqual(['expire-noncurrent-versions', 'quarantine-expiry']);
    expect(ids('silver')).toEqual(['expire-noncurrent-versions']);
    expect(ids('athena-results')).toEqual(['expire-noncurrent-versions', 'athena-results-expiry']);
  });

  it('tiers bronze only to classes GetObject reads without a restore', async () => {
    const { lifecycleRules } = await import('./data-lake');
    const tiering = lifecycleRules('bronze', RETENTION).find(
      (rule) => rule.id === 'bronze-tiering',
    );
    expect(tiering?.transitions).toEqual([
      { days: RETENTION.bronzeInfrequentAccessDays, storageClass: 'STANDARD_IA' },
      { days: RETENTION.bronzeGlacierDays, storageClass: 'GLACIER_IR' },
    ]);
  });
});
