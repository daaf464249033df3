import { beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_ID,
  BOUNDARY_ARN,
  KMS_KEY_ARN,
  REGION,
  lakeBuckets,
  testTags,
} from '../testing/component-fixtures';
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
  const { Api } = await import('./api');
  const common = {
    region: REGION,
    accountId: ACCOUNT_ID,
    athenaWorkgroup: 'finks-dev-infrastructure-analytics',
    goldDatabase: 'finks_dev_gold',
    buckets: lakeBuckets('dev'),
    kmsKeyArn: KMS_KEY_ARN,
    permissionsBoundary: BOUNDARY_ARN,
    logRetentionDays: 14,
  };
  new Api('iam-api', { ...common, env: 'dev', auth: { kind: 'iam' }, tags: testTags('dev') });
  new Api('jwt-api', {
    ...common,
    env: 'prod',
    auth: { kind: 'jwt', issuer: 'https://id.example.com', audience: ['finks'] },
    tags: testTags('prod'),
  });
  resources = await settle();
});

const of = (type: string, prefix: string) =>
  ofType(resources, type).filter((resource) => resource.name.startsWith(prefix));

describe('Api', () => {
  it('routes the two gold endpoints to Lambda functions with IAM authorisation', () => {
    const routes = of('aws:apigatewayv2/route:Route', 'iam-api');
    expect(routes.map((route) => String(route.inputs['routeKey'])).sort()).toEqual([
      'GET /portfolios/{id}/summary',
      'GET /portfolios/{id}/var',
    ]);
    for (const route of routes) expect(route.inputs['authorizationType']).toBe('AWS_IAM');
    const functions = of('aws:lambda/function:Function', 'iam-api');
    expect(functions.map((fn) => String(fn.inputs['handler'])).sort()).toEqual([
      'handler.summary',
      'handler.valueAtRisk',
    ]);
    expect(functions[0]?.inputs['environment']).toEqual({
      variables: {
        ATHENA_WORKGROUP: 'finks-dev-infrastructure-analytics',
        GOLD_DATABASE: 'finks_dev_gold',
      },
    });
  });

  it('uses a JWT authoriser when configured', () => {
    expect(of('aws:apigatewayv2/authorizer:Authorizer', 'jwt-api')[0]?.inputs).toMatchObject({
      authorizerType: 'JWT',
      jwtConfiguration: { issuer: 'https://id.example.com', audiences: ['finks'] },
    });
    for (const route of of('aws:apigatewayv2/route:Route', 'jwt-api'))
      expect(route.inputs['authorizationType']).toBe('JWT');
  });

  it('throttles the stage, more loosely in prod', () => {
    expect(
      of('aws:apigatewayv2/stage:Stage', 'iam-api')[0]?.inputs['defaultRouteSettings'],
    ).toMatchObject({ throttlingRateLimit: 10, throttlingBurstLimit: 20 });
    expect(
      of('aws:apigatewayv2/stage:Stage', 'jwt-api')[0]?.inputs['defaultRouteSettings'],
    ).toMatchObject({ throttlingRateLimit: 50, throttlingBurstLimit: 100 });
  });

  it('lets the functions query only the gold zone through the workgroup', () => {
    const [policy] = of('aws:iam/rolePolicy:RolePolicy', 'iam-api');
    const statements = parsedPolicy(policy?.inputs['policy']).Statement;
    const read = statements.find((statement) => statement.Sid === 'ReadLakeZones');
    expect(read?.Resource).toEqual([
      `arn:aws:s3:::finks-dev-gold-${ACCOUNT_ID}`,
      `arn:aws:s3:::finks-dev-gold-${ACCOUNT_ID}/*`,
    ]);
    expect(
      statements.find((statement) => statement.Sid === 'QueryThroughWorkgroup')?.Resource,
    ).toBe(`arn:aws:athena:${REGION}:${ACCOUNT_ID}:workgroup/finks-dev-infrastructure-analytics`);
  });

  it('keeps function and access logs for the configured retention', () => {
    for (const group of of('aws:cloudwatch/logGroup:LogGroup', 'iam-api'))
      expect(group.inputs['retentionInDays']).toBe(14);
  });
});
