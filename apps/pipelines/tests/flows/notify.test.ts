// The failure notice's channels when Prefect cannot give them: a Prefect API that answers 5xx or
// does not answer, and a Slack block whose data does not fit. Each block stands alone and falls
// back to the configured channel (the config's alert topic, FINKS_SLACK_WEBHOOK_URL), with a
// warning that names the block and never the webhook URL.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { loadConfig, type FinksConfig } from '@finks/config';
import { prefectApiUrl } from '@finks/dev-services';
import { applyBlockDocument, createPrefectClient } from '@finks/prefect';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { alertTopicArn, failureNotifier, notificationChannels } from '../../src/flows/notify';
import { applyNotificationBlocks } from '../../src/notifications';
import { uniqueName } from '../aws/moto-fixtures';

// The dev config with moto's account (the local config's), so its alert topic is one moto holds.
const config: FinksConfig = {
  ...loadConfig({ env: 'dev' }),
  accountId: loadConfig({ env: 'local' }).accountId,
};
const ENV_WEBHOOK = 'https://hooks.example.com/services/T9/B9/env-s3cr3t';
const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});

/** What the run logger writes to stderr while `action` runs (it logs there outside a run). */
async function stderrOf<T>(action: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    return { result: await action(), lines };
  } finally {
    vi.restoreAllMocks();
  }
}

/** A Prefect API in an outage: every request answered with `status`, counted. */
async function failingPrefect(
  status: number,
): Promise<{ url: string; requests: () => number; server: Server }> {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests += 1;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end('{"detail":"Service Unavailable"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api`, requests: () => requests, server };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** A port nothing listens on: the connection is refused. */
async function refusedApiUrl(): Promise<string> {
  const { url, server } = await failingPrefect(200);
  await close(server);
  return url;
}

function expectFallbackWarnings(lines: readonly string[], blocks: readonly string[]): void {
  const warnings = lines.filter((line) => line.includes('could not read block'));
  expect(warnings).toHaveLength(blocks.length);
  for (const block of blocks) {
    expect(warnings.join('')).toMatch(
      new RegExp(`could not read block ${block}: .+; using the configured channels`),
    );
  }
  expect(lines.join('')).not.toContain('s3cr3t');
}

describe('notification channels when the Prefect blocks cannot be read', () => {
  it('a Prefect API answering 503: both channels from the config, each block warned of, soon', async () => {
    const prefect = await failingPrefect(503);
    try {
      process.env['PREFECT_API_URL'] = prefect.url;
      delete process.env['PREFECT_CLIENT_MAX_RETRIES'];
      process.env['FINKS_SLACK_WEBHOOK_URL'] = ENV_WEBHOOK;

      const { result, lines } = await stderrOf(() => notificationChannels(config));

      expect(result).toEqual({
        sns: { topicArn: alertTopicArn(config), region: config.region },
        slack: { webhookUrl: ENV_WEBHOOK },
      });
      expectFallbackWarnings(lines, ['finks-dev-slack', 'finks-dev-alerts']);
      expect(lines.join('')).toContain('HTTP 503');
      // A few retries per block, not the client's default 16 (a minute of waiting per block).
      expect(prefect.requests()).toBeGreaterThanOrEqual(2);
      expect(prefect.requests()).toBeLessThanOrEqual(8);
    } finally {
      await close(prefect.server);
    }
  });

  it('an unreachable Prefect API: the alert topic still gets the notice, the webhook too', async () => {
    const sns = new SNSClient({ region: config.region });
    const sqs = new SQSClient({ region: config.region });
    const topicArn = alertTopicArn(config);
    if (!topicArn) throw new Error('the dev config has no alert topic');
    await sns.send(new CreateTopicCommand({ Name: topicArn.split(':').at(-1) }));
    const { QueueUrl: queueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: uniqueName('notify-outage') }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: Attributes?.['QueueArn'],
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const posted: string[] = [];
    const webhook = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        posted.push(body);
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = webhook.address() as AddressInfo;
      process.env['PREFECT_API_URL'] = await refusedApiUrl();
      process.env['FINKS_SLACK_WEBHOOK_URL'] = `http://127.0.0.1:${port}/services/T9/B9/env-s3cr3t`;
      const correlationId = uniqueName('outage');

      const { lines } = await stderrOf(() =>
        failureNotifier(config, 'master-flow', correlationId).failed(
          'silver',
          new Error('the Glue job failed'),
        ),
      );

      expectFallbackWarnings(lines, ['finks-dev-slack', 'finks-dev-alerts']);
      expect(lines.join('')).toContain('Could not reach the Prefect API');
      expect(lines.join('')).toContain('failure notification sent (slack, sns)');
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 5,
        }),
      );
      const notice = Messages.map((m) => m.Body ?? '').find((body) => body.includes(correlationId));
      expect(notice).toContain('Failing task: silver');
      expect(posted.some((body) => body.includes(correlationId))).toBe(true);
    } finally {
      await close(webhook);
    }
  });

  it('a Slack block that does not fit: Slack from the environment, SNS still from its block', async () => {
    const apiUrl = prefectApiUrl();
    const client = createPrefectClient({ apiUrl });
    // An environment of its own: the blocks of dev and prod on the shared server stay untouched.
    const env = uniqueName('notify');
    const blockTopic = 'arn:aws:sns:ca-central-1:123456789012:finks-notify-test-alerts';
    await applyNotificationBlocks(client, {
      sns: { name: `finks-${env}-alerts`, topicArn: blockTopic },
    });
    // Written past the block's own validation, as an older deploy or a hand edit could have.
    await applyBlockDocument(client, {
      blockTypeSlug: 'finks-slack-webhook',
      name: `finks-${env}-slack`,
      data: { url: 'ftp://hooks.example.com/services/T1/B2/block-s3cr3t' },
    });
    process.env['PREFECT_API_URL'] = apiUrl;
    process.env['FINKS_SLACK_WEBHOOK_URL'] = ENV_WEBHOOK;
    // The local config (no alert topic) under that name: only the block names use it.
    const local = { ...loadConfig({ env: 'local' }), env: env as FinksConfig['env'] };

    const { result, lines } = await stderrOf(() => notificationChannels(local));

    expect(result).toEqual({
      slack: { webhookUrl: ENV_WEBHOOK },
      sns: { topicArn: blockTopic },
    });
    expectFallbackWarnings(lines, [`finks-${env}-slack`]);
    expect(lines.join('')).toContain('its data does not fit (url: Invalid URL)');
  }, 180_000);
});
