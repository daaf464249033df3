// The notification channels as Prefect blocks, so a deployment's channels are configured (and the
// webhook kept secret) in Prefect, not in code: `finks-slack-webhook` and `finks-sns-topic`.
import {
  applyBlock,
  unwrapOptional,
  type AppliedBlock,
  type BlockTypeSpec,
  type PrefectClient,
} from '@finks/prefect';
import { z } from 'zod';
import { NotificationBlockMissingError } from './notification-block-missing-error';
import type { NotificationChannels } from './notify-failure';

export const slackWebhookBlockType: BlockTypeSpec = {
  slug: 'finks-slack-webhook',
  name: 'Finks Slack Webhook',
  description: 'A Slack-compatible incoming webhook that receives Finks flow failure messages.',
};

export const slackWebhookFields = z.object({
  url: z.url({ protocol: /^https?$/ }).describe('Incoming webhook URL (kept secret by Prefect)'),
});

export const snsTopicBlockType: BlockTypeSpec = {
  slug: 'finks-sns-topic',
  name: 'Finks SNS Topic',
  description: 'An SNS topic that receives Finks flow failure messages (e-mail, chat, paging).',
};

const TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

export const snsTopicFields = z.object({
  topic_arn: z.string().regex(TOPIC_ARN, 'an SNS topic ARN, arn:aws:sns:<region>:<account>:<name>'),
  region: z.string().optional().describe('Default: the region in the topic ARN'),
});

export interface NotificationBlocksSpec {
  readonly slack?: { readonly name: string; readonly url: string };
  readonly sns?: { readonly name: string; readonly topicArn: string; readonly region?: string };
}

/** Registers both block types (and the named documents given); idempotent. */
export async function applyNotificationBlocks(
  client: PrefectClient,
  spec: NotificationBlocksSpec = {},
): Promise<{ slack: AppliedBlock; sns: AppliedBlock }> {
  const slack = await applyBlock(client, {
    type: slackWebhookBlockType,
    fields: slackWebhookFields,
    secretFields: ['url'],
    documents: spec.slack ? [{ name: spec.slack.name, data: { url: spec.slack.url } }] : [],
  });
  const sns = await applyBlock(client, {
    type: snsTopicBlockType,
    fields: snsTopicFields,
    documents: spec.sns
      ? [
          {
            name: spec.sns.name,
            data: {
              topic_arn: spec.sns.topicArn,
              ...(spec.sns.region !== undefined ? { region: spec.sns.region } : {}),
            },
          },
        ]
      : [],
  });
  return { slack, sns };
}

async function readBlockData(client: PrefectClient, slug: string, name: string): Promise<unknown> {
  const document = await unwrapOptional(
    client.api.GET('/block_types/slug/{slug}/block_documents/name/{block_document_name}', {
      params: { path: { slug, block_document_name: name }, query: { include_secrets: true } },
    }),
  );
  if (!document) throw new NotificationBlockMissingError(slug, name);
  return document.data ?? {};
}

/** The channels configured in the named block documents, secrets revealed for sending. */
export async function loadNotificationChannels(
  client: PrefectClient,
  names: { readonly slack?: string; readonly sns?: string },
): Promise<NotificationChannels> {
  const channels: { slack?: { webhookUrl: string }; sns?: { topicArn: string; region?: string } } =
    {};
  if (names.slack !== undefined) {
    const data = slackWebhookFields.parse(
      await readBlockData(client, slackWebhookBlockType.slug, names.slack),
    );
    channels.slack = { webhookUrl: data.url };
  }
  if (names.sns !== undefined) {
    const data = snsTopicFields.parse(
      await readBlockData(client, snsTopicBlockType.slug, names.sns),
    );
    channels.sns = {
      topicArn: data.topic_arn,
      ...(data.region !== undefined ? { region: data.region } : {}),
    };
  }
  return channels;
}
