// Sends one failure message to every configured channel. A failing channel does not stop the
// others; the error lists what failed. The webhook URL is a credential: it is never logged and
// never part of an error message.
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { failureMessage, type FailureMessage, type FailureNotice } from './failure-message';
import { NotificationError, type ChannelFailure } from './notification-error';

export interface NotificationChannels {
  readonly slack?: { readonly webhookUrl: string };
  readonly sns?: { readonly topicArn: string; readonly region?: string };
}

export interface NotifyOptions {
  /** Default: a client in the topic's region (AWS_ENDPOINT_URL honoured by the SDK). */
  readonly sns?: SNSClient;
  /** Per-request timeout of the webhook POST (default 10 s). */
  readonly webhookTimeoutMs?: number;
  /** Where the Prefect UI URL is read from (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface NotifyResult {
  readonly message: FailureMessage;
  readonly snsMessageId?: string;
  readonly slackStatus?: number;
}

/** Posts the failure to SNS and to the Slack-compatible webhook, whichever are configured. */
export async function notifyFailure(
  notice: FailureNotice,
  channels: NotificationChannels,
  options: NotifyOptions = {},
): Promise<NotifyResult> {
  const message = failureMessage(notice, options.env);
  const failures: ChannelFailure[] = [];
  let snsMessageId: string | undefined;
  let slackStatus: number | undefined;
  await Promise.all([
    channels.sns &&
      publishToSns(message, channels.sns, options.sns).then(
        (id) => (snsMessageId = id),
        (error: unknown) => failures.push({ channel: 'sns', reason: (error as Error).message }),
      ),
    channels.slack &&
      postToWebhook(message, channels.slack.webhookUrl, options.webhookTimeoutMs ?? 10_000).then(
        (status) => (slackStatus = status),
        (error: unknown) => failures.push({ channel: 'slack', reason: (error as Error).message }),
      ),
  ]);
  if (failures.length > 0) throw new NotificationError(failures);
  return {
    message,
    ...(snsMessageId !== undefined ? { snsMessageId } : {}),
    ...(slackStatus !== undefined ? { slackStatus } : {}),
  };
}

async function publishToSns(
  message: FailureMessage,
  topic: NonNullable<NotificationChannels['sns']>,
  client: SNSClient | undefined,
): Promise<string | undefined> {
  const region = topic.region ?? topic.topicArn.split(':')[3];
  const sns = client ?? new SNSClient(region ? { region } : {});
  const published = await sns.send(
    new PublishCommand({
      TopicArn: topic.topicArn,
      Subject: message.subject,
      Message: message.text,
    }),
  );
  return published.MessageId;
}

async function postToWebhook(
  message: FailureMessage,
  webhookUrl: string,
  timeoutMs: number,
): Promise<number> {
  let response: Response;
  try {
    response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: message.text, blocks: message.blocks }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // fetch's own messages and causes may quote the URL; only the kind of failure is kept.
    const code = (error as { cause?: { code?: string } }).cause?.code;
    const kind = (error as Error).name === 'TimeoutError' ? 'timed out' : 'could not connect';
    throw new Error(`the webhook ${kind}${code ? ` (${code})` : ''}`);
  }
  await response.body?.cancel();
  if (!response.ok) throw new Error(`the webhook answered HTTP ${response.status}`);
  return response.status;
}
