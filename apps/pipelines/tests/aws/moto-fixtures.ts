// Resources the AWS tasks expect to exist, created in the shared moto server under names unique to
// each test (other test runs use the same moto at the same time, so nothing is reset).
import { randomBytes } from 'node:crypto';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { CreateJobCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { loadConfig } from '@finks/config';
import { motoEndpoint } from '@finks/dev-services';
import type { EcsTarget } from '../../src/aws';

/** The local config: the AWS tasks default to its region, so the fixtures live there too. */
export const config = loadConfig({ env: 'local' });
export const region = config.region;

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export const ecs = new ECSClient({ region });
export const logs = new CloudWatchLogsClient({ region });
export const glue = new GlueClient({ region });

/**
 * A subnet of moto's default VPC (awsvpc tasks need a real subnet id). No EC2 SDK is installed,
 * so this asks moto's EC2 query API directly; moto reads the region from the credential scope.
 */
export async function defaultSubnetId(): Promise<string> {
  const response = await fetch(motoEndpoint(), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: 'Action=DescribeSubnets&Version=2016-11-15',
  });
  const subnet = /<subnetId>(subnet-[0-9a-f]+)<\/subnetId>/.exec(await response.text())?.[1];
  if (!subnet) throw new Error(`moto returned no default subnet in ${region}`);
  return subnet;
}

/**
 * A cluster, a Fargate task definition and a log group, as infrastructure would create them:
 * under unique names, or under `named` (a workload's real names, for code that looks them up).
 */
export async function createEcsFixture(container = 'dbt', named?: EcsTarget): Promise<EcsTarget> {
  const target: EcsTarget = named ?? {
    cluster: uniqueName('test-cluster'),
    taskDefinition: uniqueName('test-family'),
    container,
    logGroup: `/finks/test/${uniqueName('group')}`,
    logStreamPrefix: container,
  };
  await ecs.send(new CreateClusterCommand({ clusterName: target.cluster }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: target.taskDefinition,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      // moto needs a container-level memory to account resources; real Fargate does not.
      containerDefinitions: [
        { name: target.container, image: 'finks/test:latest', essential: true, memory: 512 },
      ],
    }),
  );
  // A named target's log group may be there from an earlier run against the same moto.
  await logs
    .send(new CreateLogGroupCommand({ logGroupName: target.logGroup }))
    .catch((error: Error) => {
      if (named === undefined || error.name !== 'ResourceAlreadyExistsException') throw error;
    });
  return target;
}

/** Writes lines into a stream the way the awslogs driver would for a task. */
export async function writeContainerLog(
  logGroupName: string,
  logStreamName: string,
  lines: readonly string[],
): Promise<void> {
  await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
  const now = Date.now();
  await logs.send(
    new PutLogEventsCommand({
      logGroupName,
      logStreamName,
      logEvents: lines.map((message, index) => ({ message, timestamp: now + index })),
    }),
  );
}

export async function createGlueJob(maxConcurrentRuns = 1): Promise<string> {
  const name = uniqueName('finks-test-job');
  await glue.send(
    new CreateJobCommand({
      Name: name,
      Role: 'arn:aws:iam::123456789012:role/glue',
      Command: { Name: 'glueetl', ScriptLocation: 's3://scripts/cleanse_market_data.py' },
      ExecutionProperty: { MaxConcurrentRuns: maxConcurrentRuns },
      DefaultArguments: { '--dataset': 'fmp.eod_prices' },
    }),
  );
  return name;
}

/**
 * Starts a run that stays RUNNING for `seconds` (the moto extension's --finks_run_seconds), with
 * `args` (e.g. its `--dataset`) on top of the job's defaults; resolves with its run id.
 */
export async function occupyGlueJob(
  jobName: string,
  seconds: number,
  args: Readonly<Record<string, string>> = {},
): Promise<string> {
  const { JobRunId } = await glue.send(
    new StartJobRunCommand({
      JobName: jobName,
      Arguments: { ...args, '--finks_run_seconds': String(seconds) },
    }),
  );
  if (!JobRunId) throw new Error(`moto started no run of ${jobName}`);
  return JobRunId;
}
