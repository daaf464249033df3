import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { EcsConfig } from '@finks/config';
import {
  ecrRepositoryName,
  ecsClusterName,
  ecsServiceName,
  ecsTaskFamilyName,
  iamPolicyName,
  iamRoleName,
  logGroupName,
} from '@finks/iam-names';
import type { Zone } from '@finks/lake-paths';
import type { AwsEnv } from '../common/aws-env';
import { workloadImageTag } from '../common/image-tags';
import { deployedImage } from './deployed-image';
import { assumeRolePolicy, policyDocument, type Statement } from '../common/policy-document';
import type { Tags } from '../common/tags';
import { WORKLOADS, type SecretKey, type Workload } from '../common/workloads';
import type { PrefectSetting } from '../stack/stack-settings';
import { taskRoleStatements } from './task-permissions';

export interface OrchestrationDatabase {
  readonly address: pulumi.Input<string>;
  readonly port: pulumi.Input<number>;
  readonly name: string;
  readonly username: string;
  readonly masterSecretArn: pulumi.Input<string>;
}

export interface OrchestrationArgs {
  readonly env: AwsEnv;
  readonly region: string;
  readonly accountId: string;
  readonly ecs: EcsConfig;
  readonly logRetentionDays: number;
  readonly vpcId: pulumi.Input<string>;
  readonly privateSubnetIds: pulumi.Input<string>[];
  readonly workloadSecurityGroupId: pulumi.Input<string>;
  readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly buckets: Readonly<Record<Zone, string>>;
  /** Repository URL by repository name. */
  readonly repositoryUrls: Readonly<Record<string, pulumi.Input<string>>>;
  /** Each task starts with `<component>-<imageTag>` (common/image-tags.ts). */
  readonly imageTag: string;
  readonly secretArns: Readonly<Record<SecretKey, pulumi.Input<string>>>;
  /** The alert topic the worker's flows publish failures to; absent when there is none. */
  readonly alertTopicArn?: string;
  readonly glueJobNames: readonly string[];
  /** The analytics workgroup; dbt-runner's task queries through `dbtAthenaWorkgroup` instead. */
  readonly athenaWorkgroup: string;
  readonly dbtAthenaWorkgroup: string;
  readonly prefect: PrefectSetting;
  /** Required when Prefect is self-hosted. */
  readonly database?: OrchestrationDatabase;
  /** Permissions boundary of every role here (the PermissionsBoundary policy's ARN). */
  readonly permissionsBoundary: pulumi.Input<string>;
  readonly tags: Tags;
}

const PREFECT_PORT = 4200;

/**
 * The ECS cluster (Fargate, Container Insights); the Prefect server behind an internal load
 * balancer on the RDS database, or Prefect Cloud; the pipelines' Prefect worker as a service; and
 * one task definition per ingestion connector and for dbt-runner, each with its own log group and
 * roles. Task definitions run each image's own ENTRYPOINT at `<component>-<imageTag>`; app
 * deploys register later revisions with their own tags.
 */
export class Orchestration extends pulumi.ComponentResource {
  readonly cluster: aws.ecs.Cluster;
  readonly clusterName: string;
  readonly prefectApiUrl: pulumi.Output<string>;
  readonly taskDefinitionArns: Readonly<Record<string, pulumi.Output<string>>>;
  readonly serviceNames: readonly string[];
  readonly logGroupNames: readonly string[];
  readonly loadBalancer: aws.lb.LoadBalancer | undefined;

  constructor(name: string, args: OrchestrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('finks:orchestration:Orchestration', name, {}, opts);
    const { env, tags } = args;
    if (args.prefect.mode === 'self-hosted' && args.database === undefined) {
      throw new Error(
        `Orchestration ${name}: a self-hosted Prefect server needs the database; pass args.database or set prefectCloudApiUrl`,
      );
    }
    const workloads = WORKLOADS.filter(
      (workload) => !(workload.key === 'prefectServer' && args.prefect.mode === 'cloud'),
    );

    this.clusterName = ecsClusterName({ app: 'infrastructure', env, component: 'platform' });
    this.cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      {
        name: this.clusterName,
        settings: [{ name: 'containerInsights', value: 'enabled' }],
        tags,
      },
      { parent: this },
    );
    new aws.ecs.ClusterCapacityProviders(
      `${name}-capacity`,
      {
        clusterName: this.cluster.name,
        capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
        defaultCapacityProviderStrategies: [{ capacityProvider: 'FARGATE', weight: 1 }],
      },
      { parent: this },
    );

    let targetGroup: aws.lb.TargetGroup | undefined;
    if (args.prefect.mode === 'self-hosted') {
      this.loadBalancer = new aws.lb.LoadBalancer(
        `${name}-prefect-alb`,
        {
          internal: true,
          loadBalancerType: 'application',
          subnets: args.privateSubnetIds,
          securityGroups: [args.loadBalancerSecurityGroupId],
          dropInvalidHeaderFields: true,
          enableDeletionProtection: env === 'prod',
          tags,
        },
        { parent: this },
      );
      targetGroup = new aws.lb.TargetGroup(
        `${name}-prefect-tg`,
        {
          port: PREFECT_PORT,
          protocol: 'HTTP',
          targetType: 'ip',
          vpcId: args.vpcId,
          healthCheck: { path: '/api/health', matcher: '200' },
          tags,
        },
        { parent: this },
      );
      new aws.lb.Listener(
        `${name}-prefect-listener`,
        {
          loadBalancerArn: this.loadBalancer.arn,
          port: 80,
          protocol: 'HTTP',
          defaultActions: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
          tags,
        },
        { parent: this },
      );
      this.prefectApiUrl = pulumi.interpolate`http://${this.loadBalancer.dnsName}/api`;
    } else {
      this.loadBalancer = undefined;
      this.prefectApiUrl = pulumi.output(args.prefect.apiUrl);
    }

    const account = { region: args.region, accountId: args.accountId };
    const families = Object.fromEntries(
      workloads.map((workload) => [workload.key, ecsTaskFamilyName(nameInput(env, workload))]),
    );
    const roleName = (workload: Workload, purpose: 'task' | 'execution') =>
      iamRoleName({ app: workload.app, env, component: `${workload.component}-${purpose}` });
    const onDemand = workloads.filter((workload) => !workload.service);
    const passableRoleArns = onDemand.flatMap((workload) => [
      `arn:aws:iam::${args.accountId}:role/${roleName(workload, 'task')}`,
      `arn:aws:iam::${args.accountId}:role/${roleName(workload, 'execution')}`,
    ]);
    const runnableLogGroups = onDemand.map((workload) => logGroupName(nameInput(env, workload)));

    const taskDefinitionArns: Record<string, pulumi.Output<string>> = {};
    const serviceNames: string[] = [];
    const logGroups: string[] = [];
    for (const workload of workloads) {
      const resourceName = `${name}-${workload.component}`;
      const workloadTags = { ...tags, app: workload.app };
      const logGroup = logGroupName(nameInput(env, workload));
      logGroups.push(logGroup);
      new aws.cloudwatch.LogGroup(
        `${resourceName}-logs`,
        {
          name: logGroup,
          retentionInDays: args.logRetentionDays,
          kmsKeyId: args.kmsKeyArn,
          tags: workloadTags,
        },
        { parent: this },
      );

      const secretArns = [
        ...workload.secrets.map((key) => args.secretArns[key]),
        ...(workload.key === 'prefectServer' && args.database
          ? [args.database.masterSecretArn]
          : []),
      ];
      const executionRole = new aws.iam.Role(
        `${resourceName}-execution-role`,
        {
          name: roleName(workload, 'execution'),
          assumeRolePolicy: assumeRolePolicy('ecs-tasks.amazonaws.com'),
          permissionsBoundary: args.permissionsBoundary,
          tags: workloadTags,
        },
        { parent: this },
      );
      const repository = ecrRepositoryName({ ...workload.image, env });
      const executionStatements: Statement[] = [
        {
          // GetAuthorizationToken has no resource-level permissions.
          Sid: 'EcrLogin',
          Effect: 'Allow',
          Action: 'ecr:GetAuthorizationToken',
          Resource: '*',
        },
        {
          Sid: 'PullOwnImage',
          Effect: 'Allow',
          Action: [
            'ecr:BatchGetImage',
            'ecr:GetDownloadUrlForLayer',
            'ecr:BatchCheckLayerAvailability',
          ],
          Resource: `arn:aws:ecr:${args.region}:${args.accountId}:repository/${repository}`,
        },
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `arn:aws:logs:${args.region}:${args.accountId}:log-group:${logGroup}:*`,
        },
        {
          Sid: 'DecryptWithPlatformKey',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: args.kmsKeyArn,
        },
      ];
      if (secretArns.length > 0) {
        executionStatements.push({
          Sid: 'ReadOwnSecrets',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: secretArns,
        });
      }
      new aws.iam.RolePolicy(
        `${resourceName}-execution-policy`,
        {
          name: iamPolicyName({
            app: workload.app,
            env,
            component: `${workload.component}-execution`,
          }),
          role: executionRole.id,
          policy: policyDocument(executionStatements),
        },
        { parent: this },
      );

      const taskRole = new aws.iam.Role(
        `${resourceName}-task-role`,
        {
          name: roleName(workload, 'task'),
          assumeRolePolicy: assumeRolePolicy('ecs-tasks.amazonaws.com'),
          permissionsBoundary: args.permissionsBoundary,
          tags: workloadTags,
        },
        { parent: this },
      );
      const taskStatements = pulumi
        .all([args.kmsKeyArn, this.cluster.arn, args.secretArns.slackWebhook])
        .apply(([kmsKeyArn, clusterArn, slackWebhookSecretArn]) =>
          taskRoleStatements(workload, {
            ...account,
            env,
            buckets: args.buckets,
            kmsKeyArn,
            glueJobNames: args.glueJobNames,
            athenaWorkgroup: args.athenaWorkgroup,
            dbtAthenaWorkgroup: args.dbtAthenaWorkgroup,
            clusterName: this.clusterName,
            clusterArn,
            runnableTaskFamilies: onDemand.map((item) => families[item.key] ?? ''),
            passableRoleArns,
            runnableLogGroups,
            slackWebhookSecretArn,
            ...(args.alertTopicArn === undefined ? {} : { alertTopicArn: args.alertTopicArn }),
          }),
        );
      new aws.iam.RolePolicy(
        `${resourceName}-task-policy`,
        {
          name: iamPolicyName({ app: workload.app, env, component: `${workload.component}-task` }),
          role: taskRole.id,
          // A role policy needs at least one statement; the Prefect server needs no AWS access.
          policy: taskStatements.apply((statements) =>
            policyDocument(
              statements.length > 0
                ? statements
                : [{ Sid: 'NoAwsAccess', Effect: 'Deny', Action: 's3:*', Resource: '*' }],
            ),
          ),
        },
        { parent: this },
      );

      const size = args.ecs[workload.key];
      const repositoryUrl = args.repositoryUrls[repository] ?? missingRepository(name, repository);
      // An app's own deploy chooses its image; only infrastructure's own (the Prefect server)
      // follows imageTag once deployed.
      const deployed =
        workload.app === 'infrastructure'
          ? pulumi.output(undefined)
          : deployedImage(families[workload.key] ?? '', workload.component, repositoryUrl, this);
      const container = pulumi
        .all([
          repositoryUrl,
          deployed,
          pulumi.output(args.secretArns),
          this.prefectApiUrl,
          args.database ? pulumi.output(args.database.address) : pulumi.output(''),
          args.database ? pulumi.output(args.database.masterSecretArn) : pulumi.output(''),
          pulumi.all(args.privateSubnetIds),
          args.workloadSecurityGroupId,
        ])
        .apply(
          ([
            repositoryUrl,
            deployedImageOfFamily,
            secrets,
            prefectApiUrl,
            dbAddress,
            dbSecretArn,
            subnetIds,
            securityGroupId,
          ]) =>
            JSON.stringify([
              {
                name: workload.component,
                image:
                  deployedImageOfFamily ??
                  `${repositoryUrl}:${workloadImageTag(workload, args.imageTag)}`,
                // Without a command the image's ENTRYPOINT/CMD runs (see Workload.command).
                ...(workload.command === undefined ? {} : { command: workload.command }),
                essential: true,
                readonlyRootFilesystem: false,
                portMappings:
                  workload.key === 'prefectServer'
                    ? [{ containerPort: PREFECT_PORT, protocol: 'tcp' }]
                    : [],
                environment: environmentFor(workload, {
                  env,
                  region: args.region,
                  prefectApiUrl,
                  buckets: args.buckets,
                  dbAddress,
                  database: args.database,
                  subnetIds,
                  securityGroupId,
                }),
                secrets: [
                  ...workload.secrets.map((key) => ({
                    name: secretVariable(key, workload, args.prefect),
                    valueFrom: secrets[key],
                  })),
                  ...(workload.key === 'prefectServer'
                    ? [
                        {
                          name: 'PREFECT_SERVER_DATABASE_PASSWORD',
                          valueFrom: `${dbSecretArn}:password::`,
                        },
                      ]
                    : []),
                ],
                logConfiguration: {
                  logDriver: 'awslogs',
                  options: {
                    'awslogs-group': logGroup,
                    'awslogs-region': args.region,
                    'awslogs-stream-prefix': workload.component,
                  },
                },
              },
            ]),
        );
      const taskDefinition = new aws.ecs.TaskDefinition(
        `${resourceName}-task`,
        {
          family: families[workload.key] ?? '',
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'awsvpc',
          cpu: String(size.cpu),
          memory: String(size.memory),
          runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
          executionRoleArn: executionRole.arn,
          taskRoleArn: taskRole.arn,
          containerDefinitions: container,
          tags: workloadTags,
        },
        { parent: this },
      );
      taskDefinitionArns[workload.component] = taskDefinition.arn;

      if (workload.service) {
        const serviceName = ecsServiceName(nameInput(env, workload));
        serviceNames.push(serviceName);
        new aws.ecs.Service(
          `${resourceName}-service`,
          {
            name: serviceName,
            cluster: this.cluster.arn,
            taskDefinition: taskDefinition.arn,
            desiredCount: 1,
            launchType: 'FARGATE',
            networkConfiguration: {
              subnets: args.privateSubnetIds,
              securityGroups: [args.workloadSecurityGroupId],
              assignPublicIp: false,
            },
            deploymentCircuitBreaker: { enable: true, rollback: true },
            propagateTags: 'SERVICE',
            ...(workload.key === 'prefectServer' && targetGroup
              ? {
                  loadBalancers: [
                    {
                      targetGroupArn: targetGroup.arn,
                      containerName: workload.component,
                      containerPort: PREFECT_PORT,
                    },
                  ],
                }
              : {}),
            tags: workloadTags,
          },
          { parent: this },
        );
      }
    }
    this.taskDefinitionArns = taskDefinitionArns;
    this.serviceNames = serviceNames;
    this.logGroupNames = logGroups;

    this.registerOutputs({
      clusterName: this.clusterName,
      prefectApiUrl: this.prefectApiUrl,
      taskDefinitionArns,
    });
  }
}

function nameInput(env: AwsEnv, workload: Workload) {
  return { app: workload.app, env, component: workload.component };
}

function missingRepository(component: string, repository: string): never {
  throw new Error(
    `Orchestration ${component}: no ECR repository ${repository}; add its image to the Registry`,
  );
}

/** The environment variable each secret reaches its container as. */
function secretVariable(key: SecretKey, workload: Workload, prefect: PrefectSetting): string {
  switch (key) {
    case 'fmpApiKey':
      return 'FMP_API_KEY';
    case 'mongodbUri':
      return 'MONGODB_URI';
    case 'slackWebhook':
      // The name the pipelines flows read (apps/pipelines/src/flows/notify.ts).
      return 'FINKS_SLACK_WEBHOOK_URL';
    case 'prefectAuth':
      if (workload.key === 'prefectServer') return 'PREFECT_SERVER_API_AUTH_STRING';
      // Prefect Cloud authenticates with an API key; a self-hosted server with its auth string.
      return prefect.mode === 'cloud' ? 'PREFECT_API_KEY' : 'PREFECT_API_AUTH_STRING';
  }
}

function environmentFor(
  workload: Workload,
  context: {
    env: AwsEnv;
    region: string;
    prefectApiUrl: string;
    buckets: Readonly<Record<Zone, string>>;
    dbAddress: string;
    database: OrchestrationDatabase | undefined;
    subnetIds: readonly string[];
    securityGroupId: string;
  },
): { name: string; value: string }[] {
  const common = [
    { name: 'FINKS_ENV', value: context.env },
    { name: 'AWS_REGION', value: context.region },
  ];
  if (workload.key === 'prefectServer' && context.database) {
    return [
      ...common,
      { name: 'PREFECT_SERVER_DATABASE_DRIVER', value: 'postgresql+asyncpg' },
      { name: 'PREFECT_SERVER_DATABASE_HOST', value: context.dbAddress },
      { name: 'PREFECT_SERVER_DATABASE_PORT', value: '5432' },
      { name: 'PREFECT_SERVER_DATABASE_NAME', value: context.database.name },
      { name: 'PREFECT_SERVER_DATABASE_USER', value: context.database.username },
      // As in the dev services: the task run recorder's bulk writes cost mostly per statement,
      // and Prefect's 100 events per statement kept the server busy (libs/prefect README, "Bench").
      { name: 'PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE', value: '1000' },
    ];
  }
  const prefect = { name: 'PREFECT_API_URL', value: context.prefectApiUrl };
  if (workload.key === 'worker') {
    // The flows start the ECS tasks in this network (apps/pipelines/src/flows/ecs-network.ts).
    return [
      ...common,
      prefect,
      { name: 'FINKS_ECS_SUBNETS', value: context.subnetIds.join(',') },
      { name: 'FINKS_ECS_SECURITY_GROUPS', value: context.securityGroupId },
    ];
  }
  return [...common, prefect];
}
