// The master flow in an AWS environment when its sources cannot run (no ECS task definitions in
// this account): the stage fails with every source named, the run is counted once in the
// failed-runs metric, and the failure notice reaches the environment's alert topic — read back
// through an SQS subscription — naming the flow, the failing step, the error, the run and the
// correlation id.
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@finks/config';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { alertTopicArn } from '../../src/flows/notify';
import { masterFlow } from '../../src/master-flow/master-flow';
import { SourcesFailedError } from '../../src/master-flow/sources';

// The dev config with moto's account, so the alert topic's ARN is one moto can hold.
const saved = { ...process.env };
const configDir = mkdtempSync(join(tmpdir(), 'finks-notify-config-'));
writeFileSync(
  join(configDir, 'dev.yaml'),
  readFileSync(join(import.meta.dirname, '../../../../config/dev.yaml'), 'utf8').replace(
    /^accountId: .*$/m,
    "accountId: '123456789012'",
  ),
);
process.env['FINKS_CONFIG_DIR'] = configDir;
const config = loadConfig({ env: 'dev' });
let queueUrl: string;

beforeAll(async () => {
  process.env['FINKS_ECS_SUBNETS'] = 'subnet-00000000';
  process.env['FINKS_ECS_SECURITY_GROUPS'] = 'sg-00000000';
  delete process.env['FINKS_SLACK_WEBHOOK_URL'];
  // The channel here is the config's alert topic, not a Prefect block; and without a Prefect API
  // the flow does not wait on a server shared by the other test files.
  delete process.env['PREFECT_API_URL'];
  const sns = new SNSClient({ region: config.region });
  const sqs = new SQSClient({ region: config.region });
  const topicArn = alertTopicArn(config);
  expect(topicArn).toBe(
    `arn:aws:sns:ca-central-1:${config.accountId}:finks-dev-infrastructure-alerts`,
  );
  await sns.send(new CreateTopicCommand({ Name: 'finks-dev-infrastructure-alerts' }));
  const queue = await sqs.send(
    new CreateQueueCommand({ QueueName: `alerts-${Date.now().toString(36)}` }),
  );
  queueUrl = queue.QueueUrl!;
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn!,
      Protocol: 'sqs',
      Endpoint: attributes.Attributes!['QueueArn']!,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
});

afterAll(() => {
  process.env = saved;
});

describe('master-flow failure notification', () => {
  it('fails when every source fails, counts one failed run, and the alert topic gets the notice', async () => {
    const correlationId = `notify-${Date.now().toString(36)}`;
    const log = vi.spyOn(console, 'log');
    const error = await masterFlow()({
      env: 'dev',
      tickers: ['AAPL'],
      mongodbDatabase: 'finks',
      correlationId,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /sources failed: ingestion-fmp: .*; ingestion-mongodb: .*every source failed/s,
    );
    // Its subflows ingestion-fmp and ingestion-mongodb failed too: the run is counted once, as
    // master-flow's (src/flows/deployable-flow.ts), for the flow-runs-failed alarm.
    const failedRuns = log.mock.calls
      .map(([line]) => String(line))
      .filter((line) => line.includes('"FlowRunsFailed"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    log.mockRestore();
    expect(failedRuns).toEqual([
      expect.objectContaining({
        Environment: 'dev',
        Flow: 'master-flow',
        FlowRunsFailed: 1,
        correlation_id: correlationId,
      }),
    ]);

    const sqs = new SQSClient({ region: config.region });
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 5,
      }),
    );
    const bodies = (received.Messages ?? []).map((m) => m.Body ?? '');
    const notice = bodies.find((body) => body.includes(correlationId));
    expect(notice, bodies.join('\n---\n')).toBeDefined();
    expect(notice).toContain('Finks flow master-flow failed');
    expect(notice).toContain('Failing task: sources');
    expect(notice).toContain('ingestion-mongodb');
    expect(notice).toMatch(/Run: (http\S+\/runs\/flow-run\/[0-9a-f-]{36}|flow run \S+)/);
    expect(notice).toContain(`Correlation id: ${correlationId}`);
  }, 180_000);
});

// Kept apart so a rename of the error type shows here, not as a vague message mismatch.
it('names the error type the flow raises', () => {
  expect(new SourcesFailedError([{ step: 'a', error: 'x' }], 'continue', 1).code).toBe(
    'sources_failed',
  );
});
