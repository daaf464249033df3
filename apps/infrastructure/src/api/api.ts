import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { iamPolicyName, iamRoleName, logGroupName } from '@finks/iam-names';
import type { Zone } from '@finks/lake-paths';
import type { AwsEnv } from '../common/aws-env';
import { assumeRolePolicy, policyDocument } from '../common/policy-document';
import type { Tags } from '../common/tags';
import { athenaQueryStatements } from '../orchestration/task-permissions';
import type { ApiAuthSetting } from '../stack/stack-settings';
import { lambdaModules } from './lambda-bundle';

export interface ApiArgs {
  readonly env: AwsEnv;
  readonly region: string;
  readonly accountId: string;
  readonly auth: ApiAuthSetting;
  readonly athenaWorkgroup: string;
  readonly goldDatabase: string;
  readonly buckets: Readonly<Record<Zone, string>>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly logRetentionDays: number;
  /** Permissions boundary of every role here (the PermissionsBoundary policy's ARN). */
  readonly permissionsBoundary: pulumi.Input<string>;
  readonly tags: Tags;
}

/** Requests per second across the API, and the burst above it. */
export function throttling(env: AwsEnv) {
  return env === 'prod' ? { rate: 50, burst: 100 } : { rate: 10, burst: 20 };
}

export const ROUTES = [
  { key: 'GET /portfolios/{id}/summary', component: 'api-summary', handler: 'handler.summary' },
  { key: 'GET /portfolios/{id}/var', component: 'api-var', handler: 'handler.valueAtRisk' },
] as const;

/**
 * An API Gateway HTTP API over the gold marts: one Lambda function per route, each querying
 * Athena through the platform workgroup with bound parameters; IAM or JWT authorisation and
 * stage throttling.
 */
export class Api extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly apiId: pulumi.Output<string>;
  readonly functionNames: readonly string[];

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('finks:api:Api', name, {}, opts);
    const { env, tags } = args;
    const code = new pulumi.asset.AssetArchive(
      Object.fromEntries(
        Object.entries(lambdaModules()).map(([file, text]) => [
          file,
          new pulumi.asset.StringAsset(text),
        ]),
      ),
    );

    const role = new aws.iam.Role(
      `${name}-lambda-role`,
      {
        name: iamRoleName({ app: 'infrastructure', env, component: 'api-lambda' }),
        assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com'),
        permissionsBoundary: args.permissionsBoundary,
        tags,
      },
      { parent: this },
    );

    const api = new aws.apigatewayv2.Api(
      `${name}-http`,
      {
        // @finks/iam-names has no API Gateway or Lambda rule; names follow its flat shape.
        name: `finks-${env}-infrastructure-api`,
        protocolType: 'HTTP',
        description: 'Finks gold marts: portfolio summaries and value at risk',
        tags,
      },
      { parent: this },
    );
    const authorizer =
      args.auth.kind === 'jwt'
        ? new aws.apigatewayv2.Authorizer(
            `${name}-jwt`,
            {
              apiId: api.id,
              authorizerType: 'JWT',
              identitySources: ['$request.header.Authorization'],
              jwtConfiguration: { issuer: args.auth.issuer, audiences: [...args.auth.audience] },
            },
            { parent: this },
          )
        : undefined;

    const functionNames: string[] = [];
    const logGroups: string[] = [];
    for (const route of ROUTES) {
      const functionName = `finks-${env}-infrastructure-${route.component}`;
      functionNames.push(functionName);
      const logGroup = logGroupName({ app: 'infrastructure', env, component: route.component });
      logGroups.push(logGroup);
      const logs = new aws.cloudwatch.LogGroup(
        `${name}-${route.component}-logs`,
        { name: logGroup, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn, tags },
        { parent: this },
      );
      const fn = new aws.lambda.Function(
        `${name}-${route.component}`,
        {
          name: functionName,
          runtime: 'nodejs22.x',
          architectures: ['arm64'],
          handler: route.handler,
          code,
          role: role.arn,
          memorySize: 256,
          timeout: 25,
          kmsKeyArn: args.kmsKeyArn,
          environment: {
            variables: { ATHENA_WORKGROUP: args.athenaWorkgroup, GOLD_DATABASE: args.goldDatabase },
          },
          loggingConfig: { logFormat: 'JSON', logGroup: logs.name },
          tags,
        },
        { parent: this },
      );
      const integration = new aws.apigatewayv2.Integration(
        `${name}-${route.component}-integration`,
        {
          apiId: api.id,
          integrationType: 'AWS_PROXY',
          integrationUri: fn.invokeArn,
          payloadFormatVersion: '2.0',
          timeoutMilliseconds: 29_000,
        },
        { parent: this },
      );
      new aws.apigatewayv2.Route(
        `${name}-${route.component}-route`,
        {
          apiId: api.id,
          routeKey: route.key,
          target: pulumi.interpolate`integrations/${integration.id}`,
          ...(authorizer
            ? { authorizationType: 'JWT', authorizerId: authorizer.id }
            : { authorizationType: 'AWS_IAM' }),
        },
        { parent: this },
      );
      new aws.lambda.Permission(
        `${name}-${route.component}-invoke`,
        {
          action: 'lambda:InvokeFunction',
          function: fn.name,
          principal: 'apigateway.amazonaws.com',
          sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
        },
        { parent: this },
      );
    }

    new aws.iam.RolePolicy(
      `${name}-lambda-policy`,
      {
        name: iamPolicyName({ app: 'infrastructure', env, component: 'api-lambda' }),
        role: role.id,
        policy: pulumi.output(args.kmsKeyArn).apply((kmsKeyArn) =>
          policyDocument([
            ...athenaQueryStatements(
              {
                env,
                region: args.region,
                accountId: args.accountId,
                buckets: args.buckets,
                kmsKeyArn,
                athenaWorkgroup: args.athenaWorkgroup,
              },
              ['gold'],
              [],
            ),
            {
              Sid: 'WriteOwnLogs',
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: logGroups.map(
                (group) => `arn:aws:logs:${args.region}:${args.accountId}:log-group:${group}:*`,
              ),
            },
          ]),
        ),
      },
      { parent: this },
    );

    const accessLogs = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      {
        name: logGroupName({ app: 'infrastructure', env, component: 'api-access' }),
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.kmsKeyArn,
        tags,
      },
      { parent: this },
    );
    const limits = throttling(env);
    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: api.id,
        name: '$default',
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingRateLimit: limits.rate,
          throttlingBurstLimit: limits.burst,
          detailedMetricsEnabled: true,
        },
        accessLogSettings: {
          destinationArn: accessLogs.arn,
          format: JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            caller: '$context.identity.caller',
          }),
        },
        tags,
      },
      { parent: this },
    );

    this.apiId = api.id;
    this.url = stage.invokeUrl;
    this.functionNames = functionNames;
    this.registerOutputs({ url: this.url, apiId: this.apiId, functionNames });
  }
}
