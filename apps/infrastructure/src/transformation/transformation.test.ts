import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTRACTS, CONTRACTS_LIB_ROOT } from '@finks/contracts';
import { athenaWorkgroupName, glueDatabaseName, glueSnapshotsDatabaseName } from '@finks/iam-names';
import {
  ACCOUNT_ID,
  BOUNDARY_ARN,
  KMS_KEY_ARN,
  REGION,
  lakeBuckets,
  testTags,
} from '../testing/component-fixtures';
import { FIXTURE_GLUE_SCRIPTS } from '../testing/program-harness';
import {
  installMocks,
  ofType,
  parsedPolicy,
  settle,
  type MockedResource,
} from '../testing/pulumi-mocks';

let resources: readonly MockedResource[] = [];
const buckets = lakeBuckets('dev');

beforeAll(async () => {
  await installMocks();
  const { Transformation } = await import('./transformation');
  new Transformation('transform', {
    env: 'dev',
    region: REGION,
    accountId: ACCOUNT_ID,
    buckets,
    kmsKeyArn: KMS_KEY_ARN,
    glueScriptsDir: FIXTURE_GLUE_SCRIPTS,
    scripts: ['cleanse_market_data', 'validate_schemas'],
    scriptModules: ['finks_silver'],
    contracts: CONTRACTS,
    permissionsBoundary: BOUNDARY_ARN,
    tags: testTags('dev'),
  });
  resources = await settle();
});

const job = (name: string) => {
  const found = ofType(resources, 'aws:glue/job:Job').find(
    (item) => item.inputs['name'] === `finks-dev-pipelines-${name}`,
  );
  if (!found) throw new Error(`no job ${name}`);
  return found.inputs;
};
const argumentsOf = (name: string) => job(name)['defaultArguments'] as Record<string, string>;
/** The script's own arguments, without Glue's `--enable-*`, `--job-*` and `--TempDir`. */
const scriptArguments = (name: string) =>
  Object.fromEntries(
    Object.entries(argumentsOf(name)).filter(([key]) => !/^--(enable-|job-|TempDir$)/.test(key)),
  );
const artifacts = `s3://${buckets.artifacts}/glue-scripts`;

describe('Transformation Glue jobs', () => {
  it('uploads the scripts, the module they import and the contracts beside them', () => {
    const keys = ofType(resources, 'aws:s3/bucketObjectv2:BucketObjectv2').map((object) =>
      String(object.inputs['key']),
    );
    expect(keys.sort()).toEqual([
      'glue-scripts/cleanse_market_data.py',
      'glue-scripts/contracts.json',
      'glue-scripts/finks_silver.py',
      'glue-scripts/validate_schemas.py',
    ]);
  });

  it('uploads contracts.json identical to libs/contracts/generated/contracts.json', async () => {
    const object = ofType(resources, 'aws:s3/bucketObjectv2:BucketObjectv2').find(
      (item) => item.inputs['key'] === 'glue-scripts/contracts.json',
    );
    // An asset's text is a promise until the engine serialises it.
    const source = object?.inputs['source'] as { text?: Promise<string> } | undefined;
    expect(await source?.text).toBe(
      readFileSync(join(CONTRACTS_LIB_ROOT, 'generated/contracts.json'), 'utf8'),
    );
    expect(object?.inputs['contentType']).toBe('application/json');
    expect(object?.inputs['kmsKeyId']).toBe(KMS_KEY_ARN);
  });

  it('gives cleanse_market_data the contracts, the three roots and finks_silver', () => {
    // The arguments cleanse_market_data.py requires besides the per-run dataset, dates, run_id.
    expect(scriptArguments('cleanse-market-data')).toEqual({
      '--contracts': `${artifacts}/contracts.json`,
      '--bronze_root': `s3://${buckets.bronze}/`,
      '--silver_root': `s3://${buckets.silver}/`,
      '--quarantine_root': `s3://${buckets.quarantine}/`,
      '--extra-py-files': `${artifacts}/finks_silver.py`,
    });
  });

  it('gives validate_schemas only what it reads: the contracts and the bronze root', () => {
    expect(scriptArguments('validate-schemas')).toEqual({
      '--contracts': `${artifacts}/contracts.json`,
      '--bronze_root': `s3://${buckets.bronze}/`,
      '--extra-py-files': `${artifacts}/finks_silver.py`,
    });
  });

  it('lets the jobs see their own runs (a cleansing waiting for a dataset lock), no other job', () => {
    const policy = ofType(resources, 'aws:iam/rolePolicy:RolePolicy').find(
      (item) => item.inputs['name'] === 'finks-dev-pipelines-glue-jobs',
    );
    const statements = parsedPolicy(policy?.inputs['policy']).Statement;
    const glueRuns = statements.filter((statement) =>
      [statement.Action].flat().some((action) => String(action).includes('JobRun')),
    );
    expect(glueRuns).toEqual([
      {
        Sid: 'SeeJobRuns',
        Effect: 'Allow',
        Action: 'glue:GetJobRun',
        Resource: ['cleanse-market-data', 'validate-schemas'].map(
          (job) => `arn:aws:glue:${REGION}:${ACCOUNT_ID}:job/finks-dev-pipelines-${job}`,
        ),
      },
    ]);
  });

  it('lets the jobs write drift reports, and nothing else, in the artifacts bucket beyond glue-temp', () => {
    const policy = ofType(resources, 'aws:iam/rolePolicy:RolePolicy').find(
      (item) => item.inputs['name'] === 'finks-dev-pipelines-glue-jobs',
    );
    const statements = parsedPolicy(policy?.inputs['policy']).Statement;
    const drift = statements.find((statement) => statement.Sid === 'WriteDriftReports');
    expect(drift).toMatchObject({
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${buckets.artifacts}/drift-reports/*`,
    });
    const artifactWrites = statements
      .filter((statement) => [statement.Action].flat().includes('s3:PutObject'))
      .flatMap((statement) => [statement.Resource].flat())
      .filter((resource) => String(resource).startsWith(`arn:aws:s3:::${buckets.artifacts}`));
    expect(artifactWrites.sort()).toEqual([
      `arn:aws:s3:::${buckets.artifacts}/drift-reports/*`,
      `arn:aws:s3:::${buckets.artifacts}/glue-temp/*`,
    ]);
  });

  it('runs the uploaded script on Glue 5.0, bookmarks off (runs read what they are given)', () => {
    const cleanse = job('cleanse-market-data');
    expect(cleanse['glueVersion']).toBe('5.0');
    expect(cleanse['command']).toMatchObject({
      name: 'glueetl',
      scriptLocation: `${artifacts}/cleanse_market_data.py`,
    });
    expect(argumentsOf('cleanse-market-data')['--job-bookmark-option']).toBe(
      'job-bookmark-disable',
    );
  });

  it('lets one run per dataset go at once, as the flows start them in parallel', () => {
    for (const name of ['cleanse-market-data', 'validate-schemas']) {
      expect(job(name)['executionProperty']).toEqual({ maxConcurrentRuns: CONTRACTS.length });
    }
    expect(CONTRACTS.length).toBeGreaterThan(1);
  });

  it('refuses to build a catalog without contracts', async () => {
    const { Transformation } = await import('./transformation');
    expect(
      () =>
        new Transformation('empty', {
          env: 'dev',
          region: REGION,
          accountId: ACCOUNT_ID,
          buckets,
          kmsKeyArn: KMS_KEY_ARN,
          glueScriptsDir: FIXTURE_GLUE_SCRIPTS,
          scripts: [],
          scriptModules: [],
          contracts: [],
          permissionsBoundary: BOUNDARY_ARN,
          tags: testTags('dev'),
        }),
    ).toThrow(/no contracts given/);
  });
});

describe('Transformation Athena workgroups', () => {
  const workgroup = (name: string) => {
    const found = ofType(resources, 'aws:athena/workgroup:Workgroup').find(
      (item) => item.inputs['name'] === name,
    );
    if (!found) throw new Error(`no workgroup ${name}`);
    return found.inputs['configuration'] as Record<string, unknown>;
  };
  const analytics = athenaWorkgroupName({
    app: 'infrastructure',
    env: 'dev',
    component: 'analytics',
  });
  const dbt = athenaWorkgroupName({ app: 'dbt-runner', env: 'dev', component: 'dbt' });

  it('creates the analytics workgroup and the one dbt-runner names, and no other', () => {
    expect(
      ofType(resources, 'aws:athena/workgroup:Workgroup')
        .map((item) => item.inputs['name'])
        .sort(),
    ).toEqual([dbt, analytics].sort());
  });

  it("lets dbt set its tables' locations, with results encrypted under the lake key in dbt/", () => {
    expect(workgroup(dbt)).toMatchObject({
      enforceWorkgroupConfiguration: false,
      resultConfiguration: {
        outputLocation: `s3://${buckets['athena-results']}/dbt/`,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: KMS_KEY_ARN },
      },
    });
    expect(workgroup(analytics)['enforceWorkgroupConfiguration']).toBe(true);
  });

  it("cuts dbt's queries off where the analytics ones are", () => {
    const cutoff = (name: string) => workgroup(name)['bytesScannedCutoffPerQuery'];
    expect(cutoff(dbt)).toBeGreaterThan(0);
    expect(cutoff(dbt)).toBe(cutoff(analytics));
  });
});

describe('Transformation Glue databases', () => {
  it("creates the database dbt's snapshots land in, beside the gold zone's", () => {
    const databases = ofType(resources, 'aws:glue/catalogDatabase:CatalogDatabase');
    const snapshots = databases.find(
      (item) => item.inputs['name'] === glueSnapshotsDatabaseName({ env: 'dev' }),
    );
    expect(snapshots?.inputs['name']).toBe(
      `${glueDatabaseName({ env: 'dev', zone: 'gold' })}_snapshots`,
    );
    expect(snapshots?.inputs['locationUri']).toBe(
      `s3://${buckets.gold}/dbt/${glueSnapshotsDatabaseName({ env: 'dev' })}/`,
    );
    expect(databases).toHaveLength(5);
  });
});
