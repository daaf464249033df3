import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { CONTRACTS } from '@finks/contracts';
import { snsTopicName, type App } from '@finks/iam-names';
import { Api } from './api/api';
import { CiAccess } from './ci-access/ci-access';
import { PermissionsBoundary } from './ci-access/permissions-boundary';
import { snsTopicArn } from './common/arns';
import { finksTags } from './common/tags';
import { IMAGES } from './common/workloads';
import { DataLake, accessLogBucketName } from './data-lake/data-lake';
import { Database } from './database/database';
import { Monitoring } from './monitoring/monitoring';
import { Networking } from './networking/networking';
import { Orchestration } from './orchestration/orchestration';
import { Registry } from './registry/registry';
import { Secrets } from './secrets/secrets';
import { GLUE_SCRIPTS, GLUE_SCRIPT_MODULES, type StackSettings } from './stack/stack-settings';
import type { StackOutputs } from './stack-outputs';
import { Transformation } from './transformation/transformation';

/**
 * Declares every resource of one environment. Takes settings already validated by
 * `readStackSettings`, so nothing here can fail on configuration half-way through.
 */
export function createInfrastructure(settings: StackSettings): StackOutputs {
  const { env, config } = settings;
  const tagContext = { env, owner: settings.owner, costCenter: settings.costCenter };
  const tags = (component: string) => finksTags(tagContext, component);

  // Every resource goes through this provider: the region comes from config/<env>.yaml, and
  // allowedAccountIds refuses to run against any account but the one the config names.
  const provider = new aws.Provider('aws', {
    region: config.region as aws.Region,
    allowedAccountIds: [config.accountId],
  });
  const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };

  // First: every role below names this policy as its permissions boundary.
  const boundary = new PermissionsBoundary(
    'boundary',
    { env, region: config.region, accountId: config.accountId, tags: tags('ci-access') },
    opts,
  );

  const lake = new DataLake(
    'lake',
    {
      env,
      accountId: config.accountId,
      region: config.region,
      retention: config.retention,
      tags: tags('data-lake'),
    },
    opts,
  );
  const networking = new Networking(
    'network',
    { env, region: config.region, cidr: settings.vpcCidr, tags: tags('networking') },
    opts,
  );
  const registry = new Registry(
    'registry',
    {
      env,
      images: Object.values(IMAGES),
      keepLast: env === 'prod' ? 30 : 10,
      kmsKeyArn: lake.key.arn,
      tags: tags('registry'),
    },
    opts,
  );
  const secrets = new Secrets(
    'secrets',
    { env, config, kmsKeyArn: lake.key.arn, tags: tags('secrets') },
    opts,
  );
  const transformation = new Transformation(
    'transform',
    {
      env,
      region: config.region,
      accountId: config.accountId,
      buckets: lake.bucketNames,
      kmsKeyArn: lake.key.arn,
      glueScriptsDir: settings.glueScriptsDir,
      scripts: GLUE_SCRIPTS,
      scriptModules: GLUE_SCRIPT_MODULES,
      contracts: CONTRACTS,
      permissionsBoundary: boundary.arn,
      tags: tags('transformation'),
    },
    opts,
  );
  // Monitoring creates the topic and needs the cluster first, so the worker's policy names the
  // topic by the ARN its name gives (the one AWS assigns: SNS ARNs carry no generated part).
  const alertTopicArn = config.alerts.snsTopic
    ? snsTopicArn(
        { region: config.region, accountId: config.accountId },
        snsTopicName({ app: 'infrastructure', env, component: 'alerts' }),
      )
    : undefined;
  const database =
    settings.prefect.mode === 'self-hosted'
      ? new Database(
          'prefect-db',
          {
            env,
            subnetIds: networking.privateSubnetIds,
            securityGroupId: networking.databaseSecurityGroup.id,
            kmsKeyArn: lake.key.arn,
            tags: tags('database'),
          },
          opts,
        )
      : undefined;
  const orchestration = new Orchestration(
    'orchestration',
    {
      env,
      region: config.region,
      accountId: config.accountId,
      ecs: config.ecs,
      logRetentionDays: config.retention.logRetentionDays,
      vpcId: networking.vpc.id,
      privateSubnetIds: networking.privateSubnetIds,
      workloadSecurityGroupId: networking.workloadSecurityGroup.id,
      loadBalancerSecurityGroupId: networking.loadBalancerSecurityGroup.id,
      kmsKeyArn: lake.key.arn,
      buckets: lake.bucketNames,
      repositoryUrls: registry.repositoryUrls,
      imageTag: settings.imageTag,
      secretArns: secrets.secretArns,
      ...(alertTopicArn === undefined ? {} : { alertTopicArn }),
      glueJobNames: transformation.jobNames,
      athenaWorkgroup: transformation.workgroupName,
      dbtAthenaWorkgroup: transformation.dbtWorkgroupName,
      prefect: settings.prefect,
      ...(database
        ? {
            database: {
              address: database.address,
              port: database.port,
              name: database.databaseName,
              username: database.username,
              masterSecretArn: database.masterSecretArn,
            },
          }
        : {}),
      permissionsBoundary: boundary.arn,
      tags: tags('orchestration'),
    },
    opts,
  );
  const ciAccess = new CiAccess(
    'ci',
    {
      env,
      region: config.region,
      accountId: config.accountId,
      githubRepository: settings.githubRepository,
      buckets: lake.bucketNames,
      accessLogBucket: accessLogBucketName(env, config.accountId),
      kmsKeyArn: lake.key.arn,
      permissionsBoundary: boundary.arn,
      tags: tags('ci-access'),
    },
    opts,
  );
  const api = new Api(
    'api',
    {
      env,
      region: config.region,
      accountId: config.accountId,
      auth: settings.apiAuth,
      athenaWorkgroup: transformation.workgroupName,
      goldDatabase: transformation.databaseNames.gold,
      buckets: lake.bucketNames,
      kmsKeyArn: lake.key.arn,
      logRetentionDays: config.retention.logRetentionDays,
      permissionsBoundary: boundary.arn,
      tags: tags('api'),
    },
    opts,
  );
  const monitoring = new Monitoring(
    'monitoring',
    {
      env,
      region: config.region,
      accountId: config.accountId,
      alertTopic: config.alerts.snsTopic,
      emails: config.alerts.emails, // @finks/config allows e-mails only with the topic
      kmsKeyArn: lake.key.arn,
      clusterName: orchestration.clusterName,
      clusterArn: orchestration.cluster.arn,
      serviceNames: orchestration.serviceNames,
      glueJobNames: transformation.jobNames,
      lambdaFunctionNames: api.functionNames,
      apiId: api.apiId,
      tags: tags('monitoring'),
    },
    opts,
  );

  return {
    env,
    region: config.region,
    accountId: config.accountId,
    vpcId: networking.vpc.id,
    privateSubnetIds: pulumi.all(networking.privateSubnetIds),
    workloadSecurityGroupId: networking.workloadSecurityGroup.id,
    lakeKmsKeyArn: lake.key.arn,
    bucketNames: lake.bucketNames,
    glueDatabaseNames: transformation.databaseNames,
    glueJobNames: transformation.jobNames,
    athenaWorkgroup: transformation.workgroupName,
    dbtAthenaWorkgroup: transformation.dbtWorkgroupName,
    glueSnapshotsDatabaseName: transformation.snapshotsDatabaseName,
    ecsClusterName: orchestration.clusterName,
    taskDefinitionArns: pulumi.all(orchestration.taskDefinitionArns),
    prefectApiUrl: orchestration.prefectApiUrl,
    repositoryUrls: pulumi.all(registry.repositoryUrls),
    secretNames: secrets.names,
    ...(monitoring.topicArn ? { alertTopicArn: monitoring.topicArn } : {}),
    apiUrl: api.url,
    deployRoleArns: pulumi.all(ciAccess.deployRoleArns) as pulumi.Output<Record<App, string>>,
    previewRoleArns: pulumi.all(ciAccess.previewRoleArns) as pulumi.Output<Record<App, string>>,
    permissionsBoundaryArn: boundary.arn,
  };
}
