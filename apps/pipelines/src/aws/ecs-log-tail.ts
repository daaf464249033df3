import {
  GetLogEventsCommand,
  ResourceNotFoundException,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';

/** `<prefix>/<container>/<task id>`, the stream the awslogs driver writes a Fargate task to. */
export function ecsLogStreamName(prefix: string, container: string, taskArn: string): string {
  return `${prefix}/${container}/${taskArn.split('/').at(-1) ?? taskArn}`;
}

/**
 * The last `lines` events of a log stream, oldest first. A missing group or stream gives no lines
 * (a task that never started writes none); other errors say so in the tail, since the tail only
 * explains a failure that is already being reported and must not hide it.
 */
export async function fetchLogTail(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  logStreamName: string,
  lines: number,
): Promise<string[]> {
  try {
    const answer = await logs.send(
      new GetLogEventsCommand({ logGroupName, logStreamName, limit: lines, startFromHead: false }),
    );
    return (answer.events ?? []).map((event) => (event.message ?? '').replace(/\n$/, ''));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return [];
    return [`(could not read the log stream: ${(error as Error).message})`];
  }
}
