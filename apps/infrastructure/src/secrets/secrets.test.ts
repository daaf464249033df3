import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@finks/config';
import { KMS_KEY_ARN, testTags } from '../testing/component-fixtures';
import { installMocks, ofType, settle, type MockedResource } from '../testing/pulumi-mocks';

let resources: readonly MockedResource[] = [];

beforeAll(async () => {
  await installMocks();
  const { Secrets } = await import('./secrets');
  new Secrets('secrets', {
    env: 'prod',
    config: loadConfig({ env: 'prod' }),
    kmsKeyArn: KMS_KEY_ARN,
    tags: testTags('prod'),
  });
  resources = await settle();
});

describe('Secrets', () => {
  it('declares the FMP key, Mongo URI, Prefect auth and Slack webhook, with no values', () => {
    const secrets = ofType(resources, 'aws:secretsmanager/secret:Secret');
    expect(secrets.map((secret) => secret.inputs['name'])).toEqual([
      'finks/prod/fmp-api-key',
      'finks/prod/mongodb-uri',
      'finks/prod/prefect-auth',
      'finks/prod/slack-alerts-webhook',
    ]);
    expect(ofType(resources, 'aws:secretsmanager/secretVersion:SecretVersion')).toEqual([]);
    for (const secret of secrets) {
      expect(secret.inputs['kmsKeyId']).toBe(KMS_KEY_ARN);
      expect(secret.inputs['recoveryWindowInDays']).toBe(30);
    }
  });
});
