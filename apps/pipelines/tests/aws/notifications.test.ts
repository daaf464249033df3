import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { createPrefectClient, unwrap } from '@finks/prefect';
import { prefectApiUrl } from '@finks/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyNotificationBlocks,
  loadNotificationChannels,
  NotificationBlockMissingError,
  NotificationError,
  notifyFailure,
  type FailureNotice,
} from '../../src/notifications';
import { EcsTaskFailedError } from '../../src/aws';
import { region, uniqueName } from './moto-fixtures';

const sns = new SNSClient({ region });
// The shared Prefect server runs on SQLite: under load from parallel test runs it answers writes
// with "database is locked" 503s, which the client retries for up to a minute per request.
const PREFECT_TEST_TIMEOUT_MS = 180_000;
const sqs = new SQSClient({ region });

interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: { text: string; blocks: unknown[] };
}

/** A Slack-compatible webhook: records each POST and answers `status`. */
async function startWebhook(
  status = 200,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        contentType: request.headers['content-type'],
        body: JSON.parse(body) as Received['body'],
      });
      response.writeHead(status).end(status === 200 ? 'ok' : 'invalid_token');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/T000/B000/s3cr3t-token`, received, server };
}

/** An SNS topic with an SQS queue subscribed, the only way to read what moto's SNS sent. */
async function topicWithQueue(): Promise<{ topicArn: string; queueUrl: string }> {
  const { TopicArn: topicArn } = await sns.send(
    new CreateTopicCommand({ Name: uniqueName('alerts') }),
  );
  const { QueueUrl: queueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: uniqueName('inbox') }),
  );
  if (!topicArn || !queueUrl) throw new Error('moto created no topic or queue');
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.['QueueArn'],
    }),
  );
  return { topicArn, queueUrl };
}

const notice: FailureNotice = {
  flowName: 'master-flow',
  flowRunId: '0b9b3f52-6f0e-4b43-9d7a-5d8f7f3c2a11',
  taskName: 'dbt-build-0',
  error: new EcsTaskFailedError({
    taskArn: 'arn:aws:ecs:ca-central-1:123456789012:task/finks-prod-infrastructure-platform/abc',
    container: 'dbt',
    exitCode: 2,
    stopReason: 'Essential container in task exited',
    stopCode: 'EssentialContainerExited',
    logTail: ['Compilation Error in model fct_positions'],
    logStream: '/finks/prod/dbt-runner/dbt/dbt/dbt/abc',
  }),
  correlationId: '20261126T010000Z-note01',
};

describe('notifyFailure', () => {
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  beforeAll(async () => {
    webhook = await startWebhook();
  });
  afterAll(() => new Promise<void>((resolve) => webhook.server.close(() => resolve())));

  it('sends flow, run URL, failing task, error and correlation id to SNS and the webhook', async () => {
    const { topicArn, queueUrl } = await topicWithQueue();
    const env = { PREFECT_API_URL: 'http://127.0.0.1:4200/api' };
    const result = await notifyFailure(
      notice,
      { sns: { topicArn }, slack: { webhookUrl: webhook.url } },
      { env },
    );
    const runUrl = 'http://127.0.0.1:4200/runs/flow-run/0b9b3f52-6f0e-4b43-9d7a-5d8f7f3c2a11';
    expect(result.message.runUrl).toBe(runUrl);
    expect(result.slackStatus).toBe(200);

    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        WaitTimeSeconds: 2,
        MaxNumberOfMessages: 10,
      }),
    );
    expect(Messages).toHaveLength(1);
    const envelope = JSON.parse(Messages?.[0]?.Body ?? '{}') as {
      Subject: string;
      Message: string;
    };
    expect(envelope.Subject).toBe('Finks flow master-flow failed');
    const lines = envelope.Message.split('\n');
    expect(lines[0]).toBe('Finks flow master-flow failed');
    expect(lines).toContain(`Run: ${runUrl}`);
    expect(lines).toContain('Failing task: dbt-build-0');
    expect(lines).toContain('Correlation id: 20261126T010000Z-note01');
    expect(envelope.Message).toContain(
      'Error: EcsTaskFailedError: ECS task arn:aws:ecs:ca-central-1:123456789012:task/finks-prod-infrastructure-platform/abc failed: container dbt exited with code 2',
    );
    expect(envelope.Message).toContain('Compilation Error in model fct_positions');

    const posted = webhook.received.at(-1);
    expect(posted?.path).toBe('/services/T000/B000/s3cr3t-token');
    expect(posted?.contentType).toBe('application/json');
    expect(posted?.body.text).toBe(envelope.Message);
    const blocks = JSON.stringify(posted?.body.blocks);
    expect(blocks).toContain(`<${runUrl}|0b9b3f52-6f0e-4b43-9d7a-5d8f7f3c2a11>`);
    expect(blocks).toContain('dbt-build-0');
    expect(blocks).toContain('20261126T010000Z-note01');
  });

  it('still publishes to SNS when the webhook refuses, and never names the webhook URL', async () => {
    const refusing = await startWebhook(403);
    try {
      const { topicArn, queueUrl } = await topicWithQueue();
      const error = await notifyFailure(notice, {
        sns: { topicArn },
        slack: { webhookUrl: refusing.url },
      }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(NotificationError);
      expect((error as NotificationError).failures).toEqual([
        { channel: 'slack', reason: 'the webhook answered HTTP 403' },
      ]);
      expect((error as Error).message).not.toContain('s3cr3t-token');
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 2 }),
      );
      expect(Messages).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => refusing.server.close(() => resolve()));
    }
  });
});

describe('notification blocks', () => {
  it(
    'registers finks-slack-webhook (URL secret) and finks-sns-topic, idempotently',
    async () => {
      const client = createPrefectClient({ apiUrl: prefectApiUrl() });
      const slackName = uniqueName('alerts-slack');
      const snsName = uniqueName('alerts-sns');
      const spec = {
        slack: { name: slackName, url: 'https://hooks.example.com/services/T1/B2/s3cr3t' },
        sns: { name: snsName, topicArn: 'arn:aws:sns:ca-central-1:123456789012:finks-prod-alerts' },
      };
      const first = await applyNotificationBlocks(client, spec);
      expect(first.slack.documents[0]?.action).toBe('created');
      const again = await applyNotificationBlocks(client, spec);
      expect(again.slack.documents[0]?.action).toBe('unchanged');
      expect(again.sns.documents[0]?.action).toBe('unchanged');
      expect(again.slack.schema.action).toBe('unchanged');

      // Read as the UI does (no include_secrets): the webhook is obfuscated by the server.
      const shown = await unwrap(
        client.api.GET('/block_types/slug/{slug}/block_documents/name/{block_document_name}', {
          params: { path: { slug: 'finks-slack-webhook', block_document_name: slackName } },
        }),
      );
      expect(JSON.stringify(shown.data)).not.toContain('s3cr3t');

      expect(await loadNotificationChannels(client, { slack: slackName, sns: snsName })).toEqual({
        slack: { webhookUrl: 'https://hooks.example.com/services/T1/B2/s3cr3t' },
        sns: { topicArn: 'arn:aws:sns:ca-central-1:123456789012:finks-prod-alerts' },
      });
    },
    PREFECT_TEST_TIMEOUT_MS,
  );

  it('says which block is missing when a channel names none', async () => {
    const client = createPrefectClient({ apiUrl: prefectApiUrl() });
    await applyNotificationBlocks(client);
    await expect(loadNotificationChannels(client, { slack: 'no-such-block' })).rejects.toThrow(
      NotificationBlockMissingError,
    );
  });

  it('refuses a block document that is not a topic ARN, naming the field', async () => {
    const client = createPrefectClient({ apiUrl: prefectApiUrl() });
    await expect(
      applyNotificationBlocks(client, {
        sns: { name: uniqueName('bad'), topicArn: 'finks-alerts' },
      }),
    ).rejects.toThrow(/topic_arn[\s\S]*an SNS topic ARN/);
  });
});
