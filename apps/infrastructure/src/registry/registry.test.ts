import { beforeAll, describe, expect, it } from 'vitest';
import { KMS_KEY_ARN, testTags } from '../testing/component-fixtures';
import { installMocks, ofType, settle, type MockedResource } from '../testing/pulumi-mocks';

let resources: readonly MockedResource[] = [];

beforeAll(async () => {
  await installMocks();
  const { Registry } = await import('./registry');
  new Registry('registry', {
    env: 'dev',
    images: [
      { app: 'ingestion', component: 'connectors' },
      { app: 'ingestion', component: 'connectors' },
      { app: 'dbt-runner', component: 'dbt' },
    ],
    keepLast: 5,
    kmsKeyArn: KMS_KEY_ARN,
    tags: testTags('dev'),
  });
  resources = await settle();
});

describe('Registry', () => {
  it('creates one repository per distinct image, named by @finks/iam-names', () => {
    expect(
      ofType(resources, 'aws:ecr/repository:Repository').map((repo) => repo.inputs['name']),
    ).toEqual(['finks/dev/ingestion/connectors', 'finks/dev/dbt-runner/dbt']);
  });

  it('keeps the last N images', () => {
    const [policy] = ofType(resources, 'aws:ecr/lifecyclePolicy:LifecyclePolicy');
    expect(JSON.parse(String(policy?.inputs['policy']))).toMatchObject({
      rules: [
        {
          selection: { countType: 'imageCountMoreThan', countNumber: 5 },
          action: { type: 'expire' },
        },
      ],
    });
  });

  it('refuses a keepLast below one before creating anything', async () => {
    const { Registry } = await import('./registry');
    expect(
      () =>
        new Registry('bad', {
          env: 'dev',
          images: [],
          keepLast: 0,
          kmsKeyArn: KMS_KEY_ARN,
          tags: testTags('dev'),
        }),
    ).toThrow(/keepLast/);
  });
});
