// Failure notifications of a flow, through the channels of its environment: the Prefect blocks
// `pipelines:deploy` registers (finks-<env>-slack, finks-<env>-alerts) when a Prefect API is
// configured; otherwise FINKS_SLACK_WEBHOOK_URL (a secret, from the environment) and the alert SNS
// topic of the config. Each block stands alone: one that cannot be read (Prefect down, data that
// does not fit) leaves its channel to that fallback, since a notice is most needed when something
// is down. With no channel the failure is logged as not sent — never silently dropped.
import type { FinksConfig } from '@finks/config';
import { snsTopicName } from '@finks/iam-names';
import { parseEnv } from '@finks/lake-paths';
import {
  createPrefectClient,
  getRunContext,
  getRunLogger,
  prefectSettingsFromEnv,
} from '@finks/prefect';
import { z } from 'zod';
import type { StepFailure } from '../master-flow/sources';
import { flowFailedEmf } from './flow-metrics';
import {
  loadNotificationChannels,
  NotificationBlockMissingError,
  notifyFailure,
  type NotificationChannels,
} from '../notifications';

export interface FailureNotifier {
  failed(step: string, error: unknown): Promise<void>;
  partial(failures: readonly StepFailure[]): Promise<void>;
}

export const notificationBlockNames = (env: string) => ({
  slack: `finks-${env}-slack`,
  sns: `finks-${env}-alerts`,
});

/** The alert topic's ARN when the environment has one (config alerts.snsTopic, AWS only). */
export function alertTopicArn(config: FinksConfig): string | null {
  if (!config.alerts.snsTopic || config.lake.kind !== 's3') return null;
  const name = snsTopicName({
    app: 'infrastructure',
    env: parseEnv(config.env),
    component: 'alerts',
  });
  return `arn:aws:sns:${config.region}:${config.accountId}:${name}`;
}

// A failing flow waits for its notice: the client's defaults (16 retries, 30 s per attempt) would
// hold it for minutes while Prefect is down, and the configured channels can be used at once.
const BLOCK_READ_RETRIES = 3;
const BLOCK_READ_TIMEOUT_MS = 10_000;

/**
 * Why a block could not be read, without its data: a zod error is told by its issues' paths and
 * messages only, so a webhook URL that does not fit is never printed.
 */
function blockReadProblem(error: unknown): string {
  if (error instanceof z.ZodError) {
    const issues = error.issues.map(
      (issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`,
    );
    return `its data does not fit (${issues.join('; ')})`;
  }
  return error instanceof Error ? error.message : String(error);
}

function usingConfigured(what: string, error: unknown): void {
  getRunLogger().warning(
    `could not read ${what}: ${blockReadProblem(error)}; using the configured channels`,
  );
}

async function fromBlocks(env: string): Promise<NotificationChannels> {
  let settings: ReturnType<typeof prefectSettingsFromEnv>;
  try {
    settings = prefectSettingsFromEnv();
  } catch (error) {
    usingConfigured('the notification blocks', error);
    return {};
  }
  if (!settings) return {};
  const client = createPrefectClient({
    ...settings,
    maxRetries: Math.min(settings.maxRetries ?? BLOCK_READ_RETRIES, BLOCK_READ_RETRIES),
    requestTimeoutMs: BLOCK_READ_TIMEOUT_MS,
  });
  const names = notificationBlockNames(env);
  const one = async (which: 'slack' | 'sns'): Promise<NotificationChannels> => {
    try {
      return await loadNotificationChannels(client, { [which]: names[which] });
    } catch (error) {
      // No block is how an environment says "use the configured channel": nothing to warn of.
      if (!(error instanceof NotificationBlockMissingError))
        usingConfigured(`block ${names[which]}`, error);
      return {};
    }
  };
  const [slack, sns] = await Promise.all([one('slack'), one('sns')]);
  return { ...slack, ...sns };
}

export async function notificationChannels(config: FinksConfig): Promise<NotificationChannels> {
  const blocks = await fromBlocks(config.env);
  const webhook = process.env['FINKS_SLACK_WEBHOOK_URL'];
  const topic = alertTopicArn(config);
  return {
    ...(topic ? { sns: { topicArn: topic, region: config.region } } : {}),
    ...(webhook ? { slack: { webhookUrl: webhook } } : {}),
    ...blocks,
  };
}

export function failureNotifier(
  config: FinksConfig,
  flowName: string,
  correlationId: string,
): FailureNotifier {
  const send = async (taskName: string, error: unknown) => {
    const logger = getRunLogger();
    const flowRunId = getRunContext()?.flowRunId ?? correlationId;
    try {
      const channels = await notificationChannels(config);
      if (!channels.slack && !channels.sns) {
        logger.warning(
          `${flowName} failed at ${taskName}; no notification channel is configured for ${config.env} ` +
            '(deploy the notification blocks, or set FINKS_SLACK_WEBHOOK_URL)',
        );
        return;
      }
      await notifyFailure({ flowName, flowRunId, taskName, error, correlationId }, channels);
      logger.info(
        `failure notification sent (${[channels.slack && 'slack', channels.sns && 'sns'].filter(Boolean).join(', ')})`,
      );
    } catch (notifyError) {
      // A failed notification must not hide the flow's own failure.
      logger.error(`failure notification not sent: ${(notifyError as Error).message}`);
    }
  };
  return {
    failed: async (step, error) => {
      // In AWS the worker's stdout goes to CloudWatch Logs, where this line becomes the metric.
      if (config.lake.kind === 's3')
        console.log(flowFailedEmf(config.env, flowName, correlationId));
      await send(step, error);
    },
    partial: (failures) =>
      send(
        failures.map((f) => f.step).join(', '),
        new Error(failures.map((f) => `${f.step}: ${f.error}`).join('; ')),
      ),
  };
}
