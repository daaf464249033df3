import type { Output } from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
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

  it('tiers bronze to IA then Glacier, expires quarantine and old versions, per config', async () => {
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
          { days: retention.bronzeGlacierDays, storageClass: 'GLACIER' },
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
      'ingestion-worker',
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
        expect(variable.name).not.toMatch(/KEY|PASSWORD|URI|SECRET|AUTH/);
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

  it('builds Glue 5.0 jobs with bookmarks from uploaded scripts, and tables from the contracts', async () => {
    const { CONTRACTS } = await import('@finks/contracts');
    const jobs = only('aws:glue/job:Job');
    expect(jobs.map((job) => String(job.inputs['name'])).sort()).toEqual([
      `finks-${env}-pipelines-cleanse-market-data`,
      `finks-${env}-pipelines-validate-schemas`,
    ]);
    for (const job of jobs) {
      expect(job.inputs['glueVersion']).toBe('5.0');
      expect(job.inputs['defaultArguments']).toMatchObject({
        '--job-bookmark-option': 'job-bookmark-enable',
      });
    }
    const scripts = only('aws:s3/bucketObjectv2:BucketObjectv2').map(
      (object) => object.inputs['key'],
    );
    expect([...scripts].map(String).sort()).toEqual([
      'glue-scripts/cleanse_market_data.py',
      'glue-scripts/validate_schemas.py',
    ]);
    const tables = only('aws:glue/catalogTable:CatalogTable');
    expect(tables).toHaveLength(CONTRACTS.length * 2);
    const databases = only('aws:glue/catalogDatabase:CatalogDatabase').map(
      (db) => db.inputs['name'],
    );
    expect(databases).toEqual(
      expect.arrayContaining([`finks_${env}_bronze`, `finks_${env}_silver`, `finks_${env}_gold`]),
    );
  });

  it('enforces the Athena workgroup result location, encryption and a scan cutoff', () => {
    const [workgroup] = only('aws:athena/workgroup:Workgroup');
    expect(workgroup?.inputs['name']).toBe(`finks-${env}-infrastructure-analytics`);
    expect(workgroup?.inputs['configuration']).toMatchObject({
      enforceWorkgroupConfiguration: true,
      resultConfiguration: {
        outputLocation: `s3://finks-${env}-athena-results-${accountOf[env]}/`,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS' },
      },
    });
    expect(
      (workgroup?.inputs['configuration'] as { bytesScannedCutoffPerQuery: number })
        .bytesScannedCutoffPerQuery,
    ).toBeGreaterThan(0);
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

  it('alarms to the SNS topic on flows, ECS, Glue and ingestion, on a dashboard', () => {
    const alarms = only('aws:cloudwatch/metricAlarm:MetricAlarm');
    const names = alarms.map((alarm) => String(alarm.inputs['name']));
    for (const expected of [
      'flow-runs-failed',
      'ingestion-batches-failed',
      'ecs-ingestion-worker-not-running',
      'glue-pipelines-cleanse-market-data-failed',
      'glue-pipelines-cleanse-market-data-duration',
    ]) {
      expect(names).toContain(`finks-${env}-${expected}`);
    }
    const [topic] = only('aws:sns/topic:Topic');
    expect(topic?.inputs['name']).toBe(`finks-${env}-infrastructure-alerts`);
    for (const alarm of alarms) expect(alarm.inputs['alarmActions']).toHaveLength(1);
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
    const families = only('aws:ecs/taskDefinition:TaskDefinition').map(
      (task) => task.inputs['family'],
    );
    expect(families).toContain(
      names.ecsTaskFamilyName({ app: 'ingestion', env, component: 'fmp' }),
    );
    expect(families).toContain(
      names.ecsTaskFamilyName({ app: 'dbt-runner', env, component: 'dbt' }),
    );
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
