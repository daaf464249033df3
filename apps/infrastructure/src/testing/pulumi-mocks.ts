// Pulumi's mock runtime for unit tests: records every resource the code under test declares.
// Call `installMocks()` in beforeAll BEFORE importing any module that declares resources
// (a static import would register them before the mocks exist).
import * as pulumi from '@pulumi/pulumi';

export interface MockedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly state: Record<string, unknown>;
}

const recorded: MockedResource[] = [];

export const MOCK_ACCOUNT_ID = '111111111111';

// The account in the ARNs the mocks make up; the program harness sets the stack's own, so that
// ARNs computed from names (policy conditions) and ARNs AWS would assign agree, as they do in AWS.
let mockAccountId = MOCK_ACCOUNT_ID;

export function setMockAccount(accountId: string): void {
  mockAccountId = accountId;
}

function typeTail(type: string): string {
  return (type.split(':').at(-1) ?? type).toLowerCase();
}

function mockState(type: string, name: string, inputs: Record<string, unknown>) {
  const arn = `arn:aws:mock:ca-central-1:${mockAccountId}:${typeTail(type)}/${name}`;
  const state: Record<string, unknown> = { ...inputs, arn, id: `${name}-id` };
  switch (type) {
    case 'aws:iam/role:Role':
      state['arn'] = `arn:aws:iam::${mockAccountId}:role/${String(inputs['name'] ?? name)}`;
      break;
    case 'aws:iam/policy:Policy':
      state['arn'] = `arn:aws:iam::${mockAccountId}:policy/${String(inputs['name'] ?? name)}`;
      break;
    case 'aws:ecs/cluster:Cluster':
      state['arn'] =
        `arn:aws:ecs:ca-central-1:${mockAccountId}:cluster/${String(inputs['name'] ?? name)}`;
      break;
    case 'aws:sns/topic:Topic':
      state['arn'] = `arn:aws:sns:ca-central-1:${mockAccountId}:${String(inputs['name'] ?? name)}`;
      break;
    case 'aws:cloudwatch/eventRule:EventRule':
      state['arn'] =
        `arn:aws:events:ca-central-1:${mockAccountId}:rule/${String(inputs['name'] ?? name)}`;
      break;
    case 'aws:ecr/repository:Repository':
      state['repositoryUrl'] =
        `${mockAccountId}.dkr.ecr.ca-central-1.amazonaws.com/${String(inputs['name'] ?? name)}`;
      break;
    case 'aws:kms/key:Key':
      state['keyId'] = `${name}-key-id`;
      break;
    case 'aws:rds/instance:Instance':
      state['address'] = `${name}.mock.ca-central-1.rds.amazonaws.com`;
      state['port'] = 5432;
      state['masterUserSecrets'] = [{ secretArn: `${arn}-master-secret`, kmsKeyId: 'k' }];
      break;
    case 'aws:lb/loadBalancer:LoadBalancer':
    case 'aws:lb/targetGroup:TargetGroup':
      state['dnsName'] = `${name}.internal.elb.amazonaws.com`;
      state['arnSuffix'] = `app/${name}/0123456789`;
      break;
    case 'aws:apigatewayv2/api:Api':
      state['apiEndpoint'] = `https://${name}.execute-api.ca-central-1.amazonaws.com`;
      state['executionArn'] = `arn:aws:execute-api:ca-central-1:${mockAccountId}:${name}`;
      break;
    case 'aws:lambda/function:Function':
      state['invokeArn'] =
        `arn:aws:apigateway:ca-central-1:lambda:path/functions/${arn}/invocations`;
      break;
    case 'aws:apigatewayv2/stage:Stage':
      state['invokeUrl'] = `https://api-mock.execute-api.ca-central-1.amazonaws.com/`;
      break;
    case 'aws:s3/bucket:Bucket':
      state['bucket'] = inputs['bucket'] ?? name;
      break;
    default:
      break;
  }
  return state;
}

let installed = false;
/** A container of a family's latest revision, as ECS describes it. */
export interface DeployedContainer {
  readonly name: string;
  readonly image: string;
}

const deployedImages = new Map<string, readonly DeployedContainer[]>();

/**
 * The containers each task family's latest revision runs, as app deploys leave them (family →
 * containers); families not named have no revision yet. Cleared by passing an empty map.
 */
export function setDeployedImages(
  images: Readonly<Record<string, readonly DeployedContainer[]>>,
): void {
  deployedImages.clear();
  for (const [family, containers] of Object.entries(images)) deployedImages.set(family, containers);
}

/** Installs the mocks once per test file; later calls only clear the record. */
export async function installMocks(project = 'finks-infrastructure', stack = 'dev'): Promise<void> {
  recorded.length = 0;
  if (installed) return;
  installed = true;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        const state = mockState(args.type, args.name, inputs);
        recorded.push({ type: args.type, name: args.name, inputs, state });
        return { id: `${args.name}-id`, state };
      },
      call(args) {
        const inputs = args.inputs as Record<string, unknown>;
        if (args.token === 'aws:ecs/getTaskDefinition:getTaskDefinition') {
          // ECS fails the read of a family without revisions; the mock monitor passes no error
          // message through, so a revision without containers stands for that here
          // (deployed-image.ts treats both alike; isMissingTaskFamily has its own test).
          const family = String(inputs['taskDefinition']);
          const containers = deployedImages.get(family) ?? [];
          return {
            ...inputs,
            family,
            containerDefinitions: JSON.stringify(containers),
            id: family,
          };
        }
        return inputs;
      },
    },
    project,
    stack,
    false,
  );
}

/**
 * Waits until no new resource has been registered for a while: registrations are asynchronous
 * (each waits for its inputs), so a component's constructor returning is not the end of them.
 */
export async function settle(quietTicks = 6): Promise<readonly MockedResource[]> {
  let last = -1;
  let quiet = 0;
  while (quiet < quietTicks) {
    await new Promise((done) => setTimeout(done, 15));
    if (recorded.length === last) quiet += 1;
    else {
      quiet = 0;
      last = recorded.length;
    }
  }
  return [...recorded];
}

/** Forgets what earlier tests declared. */
export function clearRecorded(): void {
  recorded.length = 0;
}

export function ofType(
  resources: readonly MockedResource[],
  type: string,
): readonly MockedResource[] {
  return resources.filter((resource) => resource.type === type);
}

export function named(resources: readonly MockedResource[], name: string): MockedResource {
  const found = resources.find((resource) => resource.name === name);
  if (found === undefined) {
    throw new Error(
      `no resource named ${name}; declared: ${resources.map((r) => r.name).join(', ')}`,
    );
  }
  return found;
}

/** The value of an output once the mocks resolved it. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** A parsed IAM/bucket policy document held as JSON text in a resource input. */
export function parsedPolicy(text: unknown): {
  Statement: {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Resource?: string | string[];
    Principal?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
  }[];
} {
  if (typeof text !== 'string') throw new Error(`expected a JSON policy, got ${typeof text}`);
  return JSON.parse(text) as ReturnType<typeof parsedPolicy>;
}
