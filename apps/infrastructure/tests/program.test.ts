import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Output } from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_DIR } from '@finks/config';
import { RESOURCE_POLICIES, STACK_POLICIES } from '../policies/finks-policies';
import { AWS_ENVS, type AwsEnv } from '../src/common/aws-env';
import { fromMocks, stackViolations, violations } from '../src/testing/policy-harness';
import type { ProgramRun } from '../src/testing/program-harness';
import { ofType, parsedPolicy, type MockedResource } from '../src/testing/pulumi-mocks';

const runs = new Map<AwsEnv, ProgramRun>();

beforeAll(async () => {
  const { runEntryPoint, runProgram } = await import('../src/testing/program-harness');
  // dev goes through src/main.ts and Pulumi config; the others call the program directly.
  runs.set('dev', await runEntryPoint('dev'));
  for (const env of AWS_ENVS.filter((item) => item !== 'dev')) runs.set(env, await runProgram(env));
});

function run(env: AwsEnv): ProgramRun {
  const found = runs.get(env);
  if (!found) throw new Error(`no run for ${env}`);
  return found;
}

const accountOf = { dev: '111111111111', staging: '222222222222', prod: '333333333333' } as const;

describe.each(AWS_ENVS)('the %s stack', (env) => {
  const resources = () => run(env).resources;
  const only = (type: string) => ofType(resources(), type);

  it('declares every component under its type token', () => {
    const types = new Set(resources().map((resource) => resource.type));
    for (const token of [
      'finks:data:DataLake',
      'finks:network:Networking',
      'finks:registry:Registry',
      'finks:security:Secrets',
      'finks:data:Transformation',
      'finks:data:Database',
      'finks:orchestration:Orchestration',
      'finks:security:CiAccess',
      'finks:security:PermissionsBoundary',
      'finks:observability:Monitoring',
    ]) {
      expect(types, token).toContain(token);
    }
  });

  it('names one encrypted, versioned, private bucket per zone from @finks/lake-paths', () => {
    const names = only('aws:s3/bucket:Bucket').map((bucket) => bucket.inputs['bucket']);
    for (const zone of ['bronze', 'silver', 'gold', 'quarantine', 'artifacts', 'athena-results']) {
      expect(names).toContain(`finks-${env}-${zone}-${accountOf[env]}`);
    }
    const encryption = only(
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
    );
    const kms = encryption.filter((item) => {
      const rules = item.inputs['rules'] as {
        applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId?: string };
      }[];
      return (
        rules[0]?.applyServerSideEncryptionByDefault.sseAlgorithm === 'aws:kms' &&
        rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId !== undefined
      );
    });
    expect(kms).toHaveLength(6);
    expect(encryption).toHaveLength(7); // + the access-log bucket, SSE-S3 as S3 requires
    const blocks = only('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
    expect(blocks).toHaveLength(7);
    for (const block of blocks) {
      expect(block.inputs).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    }
    for (const versioning of only('aws:s3/bucketVersioning:BucketVersioning')) {
      expect(versioning.inputs['versioningConfiguration']).toEqual({ status: 'Enabled' });
    }
    expect(only('aws:s3/bucketLogging:BucketLogging')).toHaveLength(6);
  });

  it('denies non-TLS access and puts not encrypted with the lake key on every lake bucket', () => {
    const policies = only('aws:s3/bucketPolicy:BucketPolicy');
    expect(policies).toHaveLength(7);
    for (const policy of policies) {
      const statements = parsedPolicy(policy.inputs['policy']).Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
    const lakePolicies = policies.filter((policy) => !policy.name.includes('access-logs'));
    expect(lakePolicies).toHaveLength(6);
    for (const policy of lakePolicies) {
      const statements = parsedPolicy(policy.inputs['policy']).Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:PutObject',
          Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
        }),
      );
    }
  });

  it('tiers bronze to IA then Glacier Instant Retrieval, expires quarantine and old versions, per config', async () => {
    const { loadConfig } = await import('@finks/config');
    const { retention } = loadConfig({ env });
    const lifecycle = (zone: string) => {
      const found = only('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').find(
        (item) => item.name === `lake-${zone}-lifecycle`,
      );
      return (found?.inputs['rules'] ?? []) as Record<string, unknown>[];
    };
    expect(lifecycle('bronze')).toContainEqual(
      expect.objectContaining({
        transitions: [
          { days: retention.bronzeInfrequentAccessDays, storageClass: 'STANDARD_IA' },
          // Instant Retrieval: silver rebuilds and schema validation read bronze of any age.
          { days: retention.bronzeGlacierDays, storageClass: 'GLACIER_IR' },
        ],
      }),
    );
    expect(lifecycle('quarantine')).toContainEqual(
      expect.objectContaining({ expiration: { days: retention.quarantineExpirationDays } }),
    );
    for (const zone of ['bronze', 'silver', 'gold', 'quarantine', 'artifacts', 'athena-results']) {
      expect(lifecycle(zone)).toContainEqual(
        expect.objectContaining({
          noncurrentVersionExpiration: {
            noncurrentDays: retention.noncurrentVersionExpirationDays,
          },
        }),
      );
    }
  });

  it('lets only dev buckets be destroyed with their contents', () => {
    for (const bucket of only('aws:s3/bucket:Bucket')) {
      expect(bucket.inputs['forceDestroy']).toBe(env === 'dev');
    }
  });

  it('spreads the VPC over 2 AZs (3 in prod) with one NAT in dev and one per AZ in prod', () => {
    const zones = env === 'prod' ? 3 : 2;
    const subnets = only('aws:ec2/subnet:Subnet');
    expect(subnets).toHaveLength(zones * 2);
    expect(new Set(subnets.map((subnet) => subnet.inputs['availabilityZone'])).size).toBe(zones);
    expect(only('aws:ec2/natGateway:NatGateway')).toHaveLength(env === 'prod' ? 3 : 1);
    const endpoints = only('aws:ec2/vpcEndpoint:VpcEndpoint').map(
      (endpoint) => endpoint.inputs['serviceName'],
    );
    for (const service of ['s3', 'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'sts']) {
      expect(endpoints).toContain(`com.amazonaws.ca-central-1.${service}`);
    }
  });

  it('runs ECS services and RDS in private subnets only, never public', () => {
    const privateIds = only('aws:ec2/subnet:Subnet')
      .filter((subnet) => subnet.name.includes('-private-'))
      .map((subnet) => `${subnet.name}-id`);
    const services = only('aws:ecs/service:Service');
    expect(services.length).toBeGreaterThanOrEqual(2);
    for (const service of services) {
      const network = service.inputs['networkConfiguration'] as {
        subnets: string[];
        assignPublicIp: boolean;
      };
      expect(network.assignPublicIp).toBe(false);
      expect(network.subnets.length).toBeGreaterThan(0);
      for (const subnet of network.subnets) expect(privateIds).toContain(subnet);
    }
    const [db] = only('aws:rds/instance:Instance');
    expect(db?.inputs['publiclyAccessible']).toBe(false);
    expect(db?.inputs['storageEncrypted']).toBe(true);
    const [subnetGroup] = only('aws:rds/subnetGroup:SubnetGroup');
    for (const subnet of subnetGroup?.inputs['subnetIds'] as string[])
      expect(privateIds).toContain(subnet);
    const [alb] = only('aws:lb/loadBalancer:LoadBalancer');
    expect(alb?.inputs['internal']).toBe(true);
  });

  it('makes the database multi-AZ and deletion-protected in prod only, with backups', () => {
    const [db] = only('aws:rds/instance:Instance');
    expect(db?.inputs['multiAz']).toBe(env === 'prod');
    expect(db?.inputs['deletionProtection']).toBe(env === 'prod');
    expect(db?.inputs['backupRetentionPeriod']).toBeGreaterThanOrEqual(7);
    expect(db?.inputs['manageMasterUserPassword']).toBe(true);
    expect(db?.inputs).not.toHaveProperty('password');
  });

  it('sets every log group retention from config', async () => {
    const { loadConfig } = await import('@finks/config');
    const days = loadConfig({ env }).retention.logRetentionDays;
    const groups = only('aws:cloudwatch/logGroup:LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const group of groups) {
      expect(group.inputs['retentionInDays']).toBe(days);
      expect(String(group.inputs['name'])).toMatch(new RegExp(`^/finks/${env}/`));
    }
  });

  it('declares Fargate task definitions for every connector and dbt-runner, sized from config', async () => {
    const { loadConfig } = await import('@finks/config');
    const { ecs } = loadConfig({ env });
    const families = only('aws:ecs/taskDefinition:TaskDefinition').map((task) => task.inputs);
    const byFamily = (family: string) => families.find((task) => task['family'] === family);
    expect(byFamily(`finks-${env}-ingestion-fmp`)).toMatchObject({
      cpu: String(ecs.ingestionFmp.cpu),
      memory: String(ecs.ingestionFmp.memory),
      requiresCompatibilities: ['FARGATE'],
    });
    for (const family of [
      'ingestion-mongodb',
      'ingestion-news-stream',
      'dbt-runner-dbt',
      'pipelines-worker',
      'infrastructure-prefect-server',
    ]) {
      expect(byFamily(`finks-${env}-${family}`), family).toBeDefined();
    }
    const roles = new Set(families.map((task) => task['taskRoleArn']));
    expect(roles.size).toBe(families.length); // a task role per task
    const [cluster] = only('aws:ecs/cluster:Cluster');
    expect(cluster?.inputs['settings']).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
  });

  it('reads container secrets from Secrets Manager, never from plain environment values', () => {
    for (const task of only('aws:ecs/taskDefinition:TaskDefinition')) {
      const [container] = JSON.parse(String(task.inputs['containerDefinitions'])) as {
        image: string;
        secrets: { valueFrom: string }[];
        environment: { name: string; value: string }[];
      }[];
      expect(container?.image).toMatch(/\.dkr\.ecr\.ca-central-1\.amazonaws\.com\/finks\//);
      for (const variable of container?.environment ?? []) {
        // Whole `_`-separated words: FINKS_ECS_SECURITY_GROUPS is no URI.
        expect(variable.name).not.toMatch(/(^|_)(\w*KEY|PASSWORD|URI|SECRET|AUTH|TOKEN)(_|$)/);
      }
    }
    const secretNames = only('aws:secretsmanager/secret:Secret').map(
      (secret) => secret.inputs['name'],
    );
    expect(secretNames).toEqual(
      expect.arrayContaining([
        `finks/${env}/fmp-api-key`,
        `finks/${env}/mongodb-uri`,
        `finks/${env}/prefect-auth`,
      ]),
    );
    for (const secret of only('aws:secretsmanager/secret:Secret')) {
      expect(secret.inputs).not.toHaveProperty('secretString');
    }
  });

  it('builds Glue 5.0 jobs (bookmarks off) from uploaded scripts, and tables from the contracts', async () => {
    const { CONTRACTS } = await import('@finks/contracts');
    const jobs = only('aws:glue/job:Job');
    expect(jobs.map((job) => String(job.inputs['name'])).sort()).toEqual([
      `finks-${env}-pipelines-cleanse-market-data`,
      `finks-${env}-pipelines-validate-schemas`,
    ]);
    for (const job of jobs) {
      expect(job.inputs['glueVersion']).toBe('5.0');
      expect(job.inputs['defaultArguments']).toMatchObject({
        '--job-bookmark-option': 'job-bookmark-disable',
      });
    }
    const scripts = only('aws:s3/bucketObjectv2:BucketObjectv2').map(
      (object) => object.inputs['key'],
    );
    expect([...scripts].map(String).sort()).toEqual([
      'glue-scripts/cleanse_market_data.py',
      'glue-scripts/contracts.json',
      'glue-scripts/finks_silver.py',
      'glue-scripts/silver_lock.py',
      'glue-scripts/validate_schemas.py',
    ]);
    const tables = only('aws:glue/catalogTable:CatalogTable');
    expect(tables).toHaveLength(CONTRACTS.length * 2);
    const databases = only('aws:glue/catalogDatabase:CatalogDatabase').map(
      (db) => db.inputs['name'],
    );
    expect(databases).toEqual(
      expect.arrayContaining([
        `finks_${env}_bronze`,
        `finks_${env}_silver`,
        `finks_${env}_gold`,
        `finks_${env}_gold_snapshots`,
      ]),
    );
  });

  const workgroupNamed = (name: string) =>
    only('aws:athena/workgroup:Workgroup').find((item) => item.inputs['name'] === name);
  const cutoffOf = (name: string) =>
    (workgroupNamed(name)?.inputs['configuration'] as { bytesScannedCutoffPerQuery: number })
      .bytesScannedCutoffPerQuery;

  it('enforces the analytics workgroup result location, encryption and a scan cutoff', () => {
    const analytics = `finks-${env}-infrastructure-analytics`;
    expect(workgroupNamed(analytics)?.inputs['configuration']).toMatchObject({
      enforceWorkgroupConfiguration: true,
      resultConfiguration: {
        outputLocation: `s3://finks-${env}-athena-results-${accountOf[env]}/`,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS' },
      },
    });
    expect(cutoffOf(analytics)).toBeGreaterThan(0);
  });

  it("creates dbt-runner's workgroup: dbt's own locations, encrypted results, same cutoff", async () => {
    const { athenaWorkgroupName } = await import('@finks/iam-names');
    const dbt = athenaWorkgroupName({ app: 'dbt-runner', env, component: 'dbt' });
    expect(only('aws:athena/workgroup:Workgroup')).toHaveLength(2);
    const [key] = only('aws:kms/key:Key');
    expect(workgroupNamed(dbt)?.inputs['configuration']).toMatchObject({
      enforceWorkgroupConfiguration: false,
      resultConfiguration: {
        outputLocation: `s3://finks-${env}-athena-results-${accountOf[env]}/dbt/`,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: key?.state['arn'] },
      },
    });
    expect(cutoffOf(dbt)).toBe(cutoffOf(`finks-${env}-infrastructure-analytics`));
  });

  it('lets the dbt task role query through exactly the workgroup dbt-runner names', async () => {
    const names = await import('@finks/iam-names');
    const dbt = names.athenaWorkgroupName({ app: 'dbt-runner', env, component: 'dbt' });
    expect(workgroupNamed(dbt)).toBeDefined();
    const policy = only('aws:iam/rolePolicy:RolePolicy').find(
      (item) => item.inputs['name'] === `finks-${env}-dbt-runner-dbt-task`,
    );
    const statements = parsedPolicy(policy?.inputs['policy']).Statement;
    const athenaResources = statements
      .filter((statement) =>
        [statement.Action].flat().some((action) => String(action).startsWith('athena:')),
      )
      .flatMap((statement) => [statement.Resource].flat());
    expect(athenaResources).toEqual([
      `arn:aws:athena:ca-central-1:${accountOf[env]}:workgroup/${dbt}`,
    ]);
    // …and builds in the snapshots database the program creates, expiring its views' versions.
    const snapshots = names.glueSnapshotsDatabaseName({ env });
    expect(
      only('aws:glue/catalogDatabase:CatalogDatabase').map((db) => db.inputs['name']),
    ).toContain(snapshots);
    const glue = (resource: string) => `arn:aws:glue:ca-central-1:${accountOf[env]}:${resource}`;
    for (const [action, arn] of [
      ['glue:CreateTable', glue(`table/${snapshots}/company_profiles_snapshot`)],
      ['glue:GetTables', glue(`database/${snapshots}`)],
      ['glue:GetTableVersions', glue(`table/finks_${env}_gold/stg_fmp__quotes`)],
      ['glue:DeleteTableVersion', glue(`table/finks_${env}_gold/stg_fmp__quotes`)],
    ] as const) {
      expect(allows(statements, action, arn), `${action} on ${arn}`).toBe(true);
    }
  });

  it('creates ECR repositories with scan on push, immutable tags and a lifecycle', () => {
    const repositories = only('aws:ecr/repository:Repository');
    expect(repositories.length).toBe(4);
    for (const repository of repositories) {
      expect(repository.inputs).toMatchObject({
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
      });
      expect(String(repository.inputs['name'])).toMatch(new RegExp(`^finks/${env}/`));
    }
    expect(only('aws:ecr/lifecyclePolicy:LifecyclePolicy')).toHaveLength(4);
  });

  it('trusts GitHub OIDC deploy roles only for this repository and environment', () => {
    const [provider] = only('aws:iam/openIdConnectProvider:OpenIdConnectProvider');
    expect(provider?.inputs['url']).toBe('https://token.actions.githubusercontent.com');
    const deployRoles = only('aws:iam/role:Role').filter((role) =>
      String(role.inputs['name']).endsWith('-deploy'),
    );
    expect(deployRoles).toHaveLength(4);
    for (const role of deployRoles) {
      const [statement] = parsedPolicy(role.inputs['assumeRolePolicy']).Statement;
      expect(statement?.Action).toBe('sts:AssumeRoleWithWebIdentity');
      expect(statement?.Condition).toEqual({
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': `repo:finks-ai/finks:environment:${env}`,
        },
      });
    }
  });

  it('trusts the read-only preview roles only for pull requests of this repository', () => {
    const previewRoles = only('aws:iam/role:Role').filter((role) =>
      String(role.inputs['name']).endsWith('-preview'),
    );
    expect(previewRoles.map((role) => role.inputs['name'])).toEqual(
      ['infrastructure', 'pipelines', 'dbt-runner', 'ingestion'].map(
        (app) => `finks-${env}-${app}-preview`,
      ),
    );
    for (const role of previewRoles) {
      const [statement] = parsedPolicy(role.inputs['assumeRolePolicy']).Statement;
      expect(statement?.Condition).toEqual({
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:finks-ai/finks:pull_request',
        },
      });
    }
  });

  it('puts every role under the permissions boundary the deploy policy requires', async () => {
    const { permissionsBoundaryArn } = await import('../src/ci-access/deploy-context');
    const boundary = permissionsBoundaryArn({ env, accountId: accountOf[env] });
    const [policy] = only('aws:iam/policy:Policy');
    expect(policy?.state['arn']).toBe(boundary);
    const roles = only('aws:iam/role:Role');
    expect(roles.length).toBeGreaterThan(10);
    for (const role of roles) expect(role.inputs['permissionsBoundary'], role.name).toBe(boundary);
  });

  it('declares only names the infrastructure deploy policy can manage', async () => {
    const { deployStatements } = await import('../src/ci-access/deploy-permissions');
    const outputs = run(env).outputs;
    const account = accountOf[env];
    const statements = deployStatements('infrastructure', {
      env,
      region: 'ca-central-1',
      accountId: account,
      buckets: outputs.bucketNames,
      accessLogBucket: `finks-${env}-access-logs-${account}`,
      kmsKeyArn: 'arn:aws:kms:ca-central-1:0:key/unknown',
    });
    const regional = (service: string, rest: string) =>
      `arn:aws:${service}:ca-central-1:${account}:${rest}`;
    const checks: [string, string, (inputs: Record<string, unknown>) => string][] = [
      [
        'aws:iam/role:Role',
        'iam:CreateRole',
        (i) => `arn:aws:iam::${account}:role/${String(i['name'])}`,
      ],
      ['aws:s3/bucket:Bucket', 's3:CreateBucket', (i) => `arn:aws:s3:::${String(i['bucket'])}`],
      [
        'aws:cloudwatch/logGroup:LogGroup',
        'logs:CreateLogGroup',
        (i) => regional('logs', `log-group:${String(i['name'])}`),
      ],
      [
        'aws:ecr/repository:Repository',
        'ecr:CreateRepository',
        (i) => regional('ecr', `repository/${String(i['name'])}`),
      ],
      [
        'aws:glue/catalogDatabase:CatalogDatabase',
        'glue:CreateDatabase',
        (i) => regional('glue', `database/${String(i['name'])}`),
      ],
      ['aws:glue/job:Job', 'glue:CreateJob', (i) => regional('glue', `job/${String(i['name'])}`)],
      [
        'aws:athena/workgroup:Workgroup',
        'athena:CreateWorkGroup',
        (i) => regional('athena', `workgroup/${String(i['name'])}`),
      ],
      [
        'aws:lambda/function:Function',
        'lambda:CreateFunction',
        (i) => regional('lambda', `function:${String(i['name'])}`),
      ],
      [
        'aws:cloudwatch/metricAlarm:MetricAlarm',
        'cloudwatch:PutMetricAlarm',
        (i) => regional('cloudwatch', `alarm:${String(i['name'])}`),
      ],
      [
        'aws:cloudwatch/dashboard:Dashboard',
        'cloudwatch:PutDashboard',
        (i) => `arn:aws:cloudwatch::${account}:dashboard/${String(i['dashboardName'])}`,
      ],
      [
        'aws:cloudwatch/eventRule:EventRule',
        'events:PutRule',
        (i) => regional('events', `rule/${String(i['name'])}`),
      ],
      ['aws:sns/topic:Topic', 'sns:CreateTopic', (i) => regional('sns', String(i['name']))],
      [
        'aws:ecs/cluster:Cluster',
        'ecs:CreateCluster',
        (i) => regional('ecs', `cluster/${String(i['name'])}`),
      ],
      [
        'aws:ecs/service:Service',
        'ecs:CreateService',
        (i) => regional('ecs', `service/${outputs.ecsClusterName}/${String(i['name'])}`),
      ],
      [
        'aws:rds/instance:Instance',
        'rds:CreateDBInstance',
        (i) => regional('rds', `db:${String(i['identifier'])}`),
      ],
      [
        'aws:rds/subnetGroup:SubnetGroup',
        'rds:CreateDBSubnetGroup',
        (i) => regional('rds', `subgrp:${String(i['name'])}`),
      ],
      // Secrets Manager appends "-" and 6 random characters to the name in the ARN.
      [
        'aws:secretsmanager/secret:Secret',
        'secretsmanager:CreateSecret',
        (i) => regional('secretsmanager', `secret:${String(i['name'])}-AbC123`),
      ],
      ['aws:kms/alias:Alias', 'kms:CreateAlias', (i) => regional('kms', String(i['name']))],
    ];
    let checked = 0;
    for (const [type, action, arnOf] of checks) {
      for (const resource of only(type)) {
        checked += 1;
        const arn = arnOf(resource.inputs);
        expect(allows(statements, action, arn), `${action} on ${arn}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(60);
    // The matcher is not vacuous: another environment's names are refused.
    const other = env === 'prod' ? 'dev' : 'prod';
    expect(
      allows(statements, 'iam:CreateRole', `arn:aws:iam::${account}:role/finks-${other}-x`),
    ).toBe(false);
    expect(
      allows(statements, 'logs:CreateLogGroup', regional('logs', `log-group:/finks/${other}/x`)),
    ).toBe(false);
  });

  it('alarms to the SNS topic on flows, ECS, Glue and ingestion, on a dashboard', () => {
    const alarms = only('aws:cloudwatch/metricAlarm:MetricAlarm');
    const names = alarms.map((alarm) => String(alarm.inputs['name']));
    for (const expected of [
      'flow-runs-failed',
      'ingestion-batches-failed',
      'ecs-pipelines-worker-not-running',
      'glue-pipelines-cleanse-market-data-failed',
      'glue-pipelines-cleanse-market-data-duration',
    ]) {
      expect(names).toContain(`finks-${env}-${expected}`);
    }
    const [topic] = only('aws:sns/topic:Topic');
    expect(topic?.inputs['name']).toBe(`finks-${env}-infrastructure-alerts`);
    for (const alarm of alarms) expect(alarm.inputs['alarmActions']).toEqual([topic?.state['arn']]);
    const [rule] = only('aws:cloudwatch/eventRule:EventRule');
    expect(JSON.parse(String(rule?.inputs['eventPattern']))).toMatchObject({
      'detail-type': ['ECS Task State Change'],
      detail: {
        clusterArn: [
          `arn:aws:ecs:ca-central-1:${accountOf[env]}:cluster/finks-${env}-infrastructure-platform`,
        ],
        lastStatus: ['STOPPED'],
      },
    });
    expect(only('aws:cloudwatch/eventTarget:EventTarget')[0]?.inputs['arn']).toBe(
      topic?.state['arn'],
    );
    expect(only('aws:cloudwatch/dashboard:Dashboard')).toHaveLength(1);
  });

  it('serves the gold marts through an HTTP API with Lambda handlers and an API 5xx alarm', () => {
    const routes = only('aws:apigatewayv2/route:Route').map((route) => route.inputs['routeKey']);
    expect([...routes].map(String).sort()).toEqual([
      'GET /portfolios/{id}/summary',
      'GET /portfolios/{id}/var',
    ]);
    expect(only('aws:lambda/function:Function')).toHaveLength(2);
    const alarms = only('aws:cloudwatch/metricAlarm:MetricAlarm').map((alarm) =>
      String(alarm.inputs['name']),
    );
    expect(alarms).toEqual(
      expect.arrayContaining([
        `finks-${env}-api-5xx`,
        `finks-${env}-lambda-0-errors`,
        `finks-${env}-lambda-0-latency`,
      ]),
    );
  });

  it('exports the names other apps compute from @finks/lake-paths and @finks/iam-names', async () => {
    const { bucketName } = await import('@finks/lake-paths');
    const names = await import('@finks/iam-names');
    const { valueOf } = await import('../src/testing/pulumi-mocks');
    const outputs = run(env).outputs;
    const accountId = accountOf[env];
    expect(outputs.bucketNames.gold).toBe(bucketName({ env, zone: 'gold', accountId }));
    expect(outputs.glueDatabaseNames.silver).toBe(names.glueDatabaseName({ env, zone: 'silver' }));
    expect(outputs.glueJobNames).toEqual([
      names.glueJobName({ app: 'pipelines', env, component: 'cleanse-market-data' }),
      names.glueJobName({ app: 'pipelines', env, component: 'validate-schemas' }),
    ]);
    expect(outputs.athenaWorkgroup).toBe(
      names.athenaWorkgroupName({ app: 'infrastructure', env, component: 'analytics' }),
    );
    expect(outputs.dbtAthenaWorkgroup).toBe(
      names.athenaWorkgroupName({ app: 'dbt-runner', env, component: 'dbt' }),
    );
    expect(outputs.glueSnapshotsDatabaseName).toBe(names.glueSnapshotsDatabaseName({ env }));
    expect(outputs.ecsClusterName).toBe(
      names.ecsClusterName({ app: 'infrastructure', env, component: 'platform' }),
    );
    expect(outputs.secretNames['prefectAuth']).toBe(
      names.secretName({ env, name: 'prefect-auth' }),
    );
    const repositories = await valueOf(outputs.repositoryUrls as Output<Record<string, string>>);
    expect(Object.keys(repositories)).toContain(
      names.ecrRepositoryName({ app: 'dbt-runner', env, component: 'dbt' }),
    );
    const roles = await valueOf(outputs.deployRoleArns as Output<Record<string, string>>);
    expect(roles['ingestion']).toMatch(
      new RegExp(`:role/${names.iamRoleName({ app: 'ingestion', env, component: 'deploy' })}$`),
    );
    const previews = await valueOf(outputs.previewRoleArns as Output<Record<string, string>>);
    expect(previews['dbt-runner']).toBe(
      `arn:aws:iam::${accountId}:role/${names.iamRoleName({ app: 'dbt-runner', env, component: 'preview' })}`,
    );
    expect(await valueOf(outputs.alertTopicArn as Output<string>)).toContain(
      names.snsTopicName({ app: 'infrastructure', env, component: 'alerts' }),
    );
    const families = only('aws:ecs/taskDefinition:TaskDefinition').map(
      (task) => task.inputs['family'],
    );
    expect(families).toContain(
      names.ecsTaskFamilyName({ app: 'ingestion', env, component: 'fmp' }),
    );
    expect(families).toContain(
      names.ecsTaskFamilyName({ app: 'dbt-runner', env, component: 'dbt' }),
    );
    expect(families).toContain(
      names.ecsTaskFamilyName({ app: 'pipelines', env, component: 'worker' }),
    );
    expect(Object.keys(repositories).sort()).toEqual(
      [
        names.ecrRepositoryName({ app: 'ingestion', env, component: 'connectors' }),
        names.ecrRepositoryName({ app: 'pipelines', env, component: 'worker' }),
        names.ecrRepositoryName({ app: 'dbt-runner', env, component: 'dbt' }),
        names.ecrRepositoryName({ app: 'infrastructure', env, component: 'prefect-server' }),
      ].sort(),
    );
  });

  it("lets the worker publish to the stack's alert topic and start tasks on its cluster", () => {
    const [topic] = only('aws:sns/topic:Topic');
    const [cluster] = only('aws:ecs/cluster:Cluster');
    const policy = only('aws:iam/rolePolicy:RolePolicy').find(
      (item) => item.inputs['name'] === `finks-${env}-pipelines-worker-task`,
    );
    const statements = parsedPolicy(policy?.inputs['policy']).Statement;
    expect(statements.find((item) => item.Sid === 'PublishAlerts')?.Resource).toBe(
      topic?.state['arn'],
    );
    expect(statements.find((item) => item.Sid === 'RunPlatformTasks')?.Condition).toEqual({
      ArnEquals: { 'ecs:cluster': cluster?.state['arn'] },
    });
    const worker = only('aws:ecs/taskDefinition:TaskDefinition').find(
      (task) => task.inputs['family'] === `finks-${env}-pipelines-worker`,
    );
    const [container] = JSON.parse(String(worker?.inputs['containerDefinitions'])) as {
      environment: { name: string; value: string }[];
    }[];
    const subnets = container?.environment.find((item) => item.name === 'FINKS_ECS_SUBNETS');
    const privateIds = only('aws:ec2/subnet:Subnet')
      .filter((subnet) => subnet.name.includes('-private-'))
      .map((subnet) => `${subnet.name}-id`);
    expect(privateIds.length).toBeGreaterThan(1);
    expect(subnets?.value.split(',')).toEqual(privateIds);
    expect(container?.environment).toContainEqual({
      name: 'FINKS_ECS_SECURITY_GROUPS',
      value: `${only('aws:ec2/securityGroup:SecurityGroup').find((group) => group.name.includes('workload'))?.name ?? 'none'}-id`,
    });
  });

  it('tags every taggable resource with env, project, owner and cost-center', () => {
    const tagged = resources().filter(
      (resource: MockedResource) => resource.inputs['tags'] !== undefined,
    );
    expect(tagged.length).toBeGreaterThan(50);
    for (const resource of tagged) {
      expect(resource.inputs['tags'], resource.name).toMatchObject({
        env,
        project: 'finks',
        owner: 'platform',
        'cost-center': 'data-platform',
      });
    }
  });
});

/** Whether an Allow statement grants the action on the ARN (IAM wildcards; conditions aside). */
function allows(
  statements: readonly { Effect: string; Action?: unknown; Resource?: unknown }[],
  action: string,
  arn: string,
): boolean {
  const matches = (pattern: string, value: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '.*')
        .replaceAll('?', '.')}$`,
    ).test(value);
  const list = (value: unknown) => [value].flat().map(String);
  return statements.some(
    (statement) =>
      statement.Effect === 'Allow' &&
      list(statement.Action).some((pattern) => matches(pattern, action)) &&
      list(statement.Resource).some((pattern) => matches(pattern, arn)),
  );
}

describe('a stack whose config turns the alert topic off', () => {
  let quiet: ProgramRun;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finks-config-'));
    const text = readFileSync(join(DEFAULT_CONFIG_DIR, 'staging.yaml'), 'utf8');
    expect(text).toContain('snsTopic: true');
    // @finks/config refuses e-mails without the topic, so they go too.
    const quietText = text
      .replace('snsTopic: true', 'snsTopic: false')
      .replace(/emails:\n(\s+- .*\n)+/, 'emails: []\n');
    writeFileSync(join(dir, 'staging.yaml'), quietText);
    const { runProgram } = await import('../src/testing/program-harness');
    quiet = await runProgram('staging', { configDir: dir });
  });

  it('declares no topic and nothing that points at one, and exports no topic', () => {
    for (const type of [
      'aws:sns/topic:Topic',
      'aws:sns/topicSubscription:TopicSubscription',
      'aws:sns/topicPolicy:TopicPolicy',
      'aws:cloudwatch/eventRule:EventRule',
      'aws:cloudwatch/eventTarget:EventTarget',
    ]) {
      expect(ofType(quiet.resources, type), type).toEqual([]);
    }
    const alarms = ofType(quiet.resources, 'aws:cloudwatch/metricAlarm:MetricAlarm');
    expect(alarms.length).toBeGreaterThan(5);
    for (const alarm of alarms) expect(alarm.inputs).not.toHaveProperty('alarmActions');
    expect(quiet.outputs).not.toHaveProperty('alertTopicArn');
    const workerPolicy = ofType(quiet.resources, 'aws:iam/rolePolicy:RolePolicy').find(
      (item) => item.inputs['name'] === 'finks-staging-pipelines-worker-task',
    );
    expect(String(workerPolicy?.inputs['policy'])).toContain('ecs:RunTask');
    expect(String(workerPolicy?.inputs['policy'])).not.toContain('sns:');
  });

  it('still passes every policy of the pack', async () => {
    const found: string[] = [];
    for (const policy of RESOURCE_POLICIES) {
      for (const resource of quiet.resources) {
        if (!resource.type.startsWith('aws:')) continue;
        for (const message of await violations(policy, resource.type, resource.inputs)) {
          found.push(`${policy.name} ${resource.name}: ${message}`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});

// The program's own resources pass every policy of the pack, on every stack.
describe.each(AWS_ENVS)('the %s stack against the policy pack', (env) => {
  it.each(RESOURCE_POLICIES.map((policy) => [policy.name, policy] as const))(
    'passes %s',
    async (_, policy) => {
      const found: string[] = [];
      for (const resource of run(env).resources) {
        if (!resource.type.startsWith('aws:')) continue;
        for (const message of await violations(policy, resource.type, resource.inputs)) {
          found.push(`${resource.name}: ${message}`);
        }
      }
      expect(found).toEqual([]);
    },
  );

  it.each(STACK_POLICIES.map((policy) => [policy.name, policy] as const))(
    'passes %s',
    async (_, policy) => {
      expect(await stackViolations(policy, fromMocks(run(env).resources))).toEqual([]);
    },
  );
});
