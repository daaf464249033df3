import { prefectFlowRunUrl } from './prefect-ui-url';

/** What failed, as the flow knows it when it decides to notify. */
export interface FailureNotice {
  readonly flowName: string;
  readonly flowRunId: string;
  /** The task (step) that failed; omitted when the flow itself failed. */
  readonly taskName?: string;
  readonly error: unknown;
  readonly correlationId: string;
}

export interface FailureMessage {
  /** SNS subject: ASCII, at most 100 characters. */
  readonly subject: string;
  readonly text: string;
  /** Slack Block Kit blocks; `text` is the fallback shown in notifications. */
  readonly blocks: readonly Record<string, unknown>[];
  readonly runUrl: string | undefined;
}

// Slack refuses section text over 3,000 characters; an error with a long log tail is cut.
const ERROR_MAX = 2_500;

function errorText(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : String(error ?? 'unknown error');
  return text.length > ERROR_MAX ? `${text.slice(0, ERROR_MAX)}… (cut)` : text;
}

/** The message both channels send: flow, run URL, failing task, error and correlation id. */
export function failureMessage(
  notice: FailureNotice,
  env: NodeJS.ProcessEnv = process.env,
): FailureMessage {
  const runUrl = prefectFlowRunUrl(notice.flowRunId, env);
  const task = notice.taskName ?? '(the flow itself)';
  const error = errorText(notice.error);
  const run = runUrl ?? `flow run ${notice.flowRunId} (no PREFECT_UI_URL or PREFECT_API_URL set)`;
  const text = [
    `Finks flow ${notice.flowName} failed`,
    `Run: ${run}`,
    `Failing task: ${task}`,
    `Error: ${error}`,
    `Correlation id: ${notice.correlationId}`,
  ].join('\n');
  const subject = `Finks flow ${notice.flowName} failed`
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 100);
  const blocks = [
    {
      type: 'header',
      text: { type: 'plain_text', text: subject.slice(0, 150) },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Flow*\n${notice.flowName}` },
        { type: 'mrkdwn', text: `*Failing task*\n${task}` },
        { type: 'mrkdwn', text: `*Run*\n${runUrl ? `<${runUrl}|${notice.flowRunId}>` : run}` },
        { type: 'mrkdwn', text: `*Correlation id*\n${notice.correlationId}` },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*Error*\n\`\`\`${error}\`\`\`` } },
  ];
  return { subject, text, blocks, runUrl };
}
