import { beforeAll, describe, expect, it } from 'vitest';
import { KMS_KEY_ARN, testTags } from '../testing/component-fixtures';
import { installMocks, ofType, settle, type MockedResource } from '../testing/pulumi-mocks';

let resources: readonly MockedResource[] = [];

beforeAll(async () => {
  await installMocks();
  const { Database } = await import('./database');
  for (const env of ['dev', 'prod'] as const) {
    new Database(`db-${env}`, {
      env,
      subnetIds: ['private-a', 'private-b'],
      securityGroupId: 'sg-db',
      kmsKeyArn: KMS_KEY_ARN,
      tags: testTags(env),
    });
  }
  resources = await settle();
});

describe('Database', () => {
  const instance = (env: string) =>
    ofType(resources, 'aws:rds/instance:Instance').find((db) => db.name === `db-${env}-postgres`)
      ?.inputs;

  it('is private, encrypted, backed up and has an RDS-managed password', () => {
    for (const env of ['dev', 'prod']) {
      expect(instance(env)).toMatchObject({
        publiclyAccessible: false,
        storageEncrypted: true,
        kmsKeyId: KMS_KEY_ARN,
        manageMasterUserPassword: true,
        vpcSecurityGroupIds: ['sg-db'],
      });
      expect(instance(env)?.['backupRetentionPeriod']).toBeGreaterThanOrEqual(7);
    }
  });

  it('is multi-AZ with deletion protection and a final snapshot in prod only', () => {
    expect(instance('prod')).toMatchObject({
      multiAz: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
    });
    expect(instance('dev')).toMatchObject({
      multiAz: false,
      deletionProtection: false,
      skipFinalSnapshot: true,
    });
  });

  it('puts its subnet group on the private subnets given', () => {
    for (const group of ofType(resources, 'aws:rds/subnetGroup:SubnetGroup')) {
      expect(group.inputs['subnetIds']).toEqual(['private-a', 'private-b']);
    }
  });
});
