// One ECS task on Fargate for one flow step: RunTask with overrides, wait for STOPPED, judge the
// essential container's exit code, and explain a failure with the tail of its CloudWatch log.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTasksCommand,
  ECSClient,
  RunTaskCommand,
  StopTaskCommand,
  type Task as EcsApiTask,
} from '@aws-sdk/client-ecs';
import { loadConfig, type FinksConfig } from '@finks/config';
import { getRunLogger, task, type TaskOptions } from '@finks/prefect';
import { awsClientConfig, type AwsClientSettings } from './aws-client-config';
import { AwsInputError } from './aws-input-error';
import { backoffDelayMs, notifyStarted, sleep, type BackoffOptions } from './backoff';
import { ecsLogStreamName, fetchLogTail } from './ecs-log-tail';
import { checkEcsTaskRequest, type EcsTaskRequest } from './ecs-request';
import { EcsRunRefusedError } from './ecs-run-refused-error';
import { EcsTaskFailedError } from './ecs-task-failed-error';
import { runSignal } from './run-signal';
import { ecsTargetFor, type EcsTarget } from './ecs-workloads';

export interface EcsTaskOptions extends AwsClientSettings {
  /** Replaces names from `@finks/iam-names` (tests, or resources named another way). */
  readonly target?: Partial<EcsTarget>;
  readonly ecs?: ECSClient;
  readonly logs?: CloudWatchLogsClient;
  /** DescribeTasks polling; default 2 s doubling to 30 s. */
  readonly poll?: BackoffOptions;
  /**
   * Aborting stops the ECS task (StopTask with a reason) and rethrows the abort reason. Default:
   * the signal of the run the caller is in (runSignal).
   */
  readonly signal?: AbortSignal;
  /** Log lines kept for a failure (default 50). */
  readonly logTailLines?: number;
  /** Called once the run has started (awaited; its errors are logged, not thrown). */
  readonly onStarted?: (taskArn: string) => void | Promise<void>;
}

export interface EcsTaskResult {
  readonly taskArn: string;
  readonly cluster: string;
  readonly container: string;
  readonly exitCode: 0;
  readonly stopReason: string;
  readonly stopCode: string | undefined;
  readonly logStream: string;
  /** DescribeTasks calls made while waiting. */
  readonly polls: number;
}

/** StopTask accepts a reason of at most 255 characters. */
const STOP_REASON_MAX = 255;

/** A task RunTask has started; `runEcsTask` waits for it, a long-running one is left to run. */
export interface StartedEcsTask {
  readonly taskArn: string;
  readonly target: EcsTarget;
  readonly ecs: ECSClient;
}

/**
 * Starts one task of `request.workload` (RunTask with the overrides: command, environment with
 * FINKS_CORRELATION_ID, the config's CPU and memory, the awsvpc network) and returns once ECS has
 * accepted it. Rejects with `EcsRunRefusedError` when ECS starts nothing.
 */
export async function startEcsTask(
  request: EcsTaskRequest,
  options: EcsTaskOptions = {},
): Promise<StartedEcsTask> {
  checkEcsTaskRequest(request);
  const config: FinksConfig = options.config ?? loadConfig({ env: request.env });
  if (config.env !== request.env) {
    throw new AwsInputError(
      'env',
      `is ${request.env} but the config passed is for ${config.env}; pass that environment's config`,
    );
  }
  const target: EcsTarget = { ...ecsTargetFor(request.workload, request.env), ...options.target };
  const size = config.ecs[request.workload];
  const clientConfig = awsClientConfig({ ...options, config });
  const ecs = options.ecs ?? new ECSClient(clientConfig);
  const signal = options.signal;
  signal?.throwIfAborted();

  const environment = { ...request.environment, FINKS_CORRELATION_ID: request.correlationId };
  // Not cancellable on purpose: an abort mid-request could leave a started task we know nothing
  // of. The abort is looked at once the ARN is known, and then the task is stopped.
  const started = await ecs.send(
    new RunTaskCommand({
      cluster: target.cluster,
      taskDefinition: target.taskDefinition,
      launchType: 'FARGATE',
      count: 1,
      startedBy: `finks-${request.correlationId}`.replace(/[^\w-]/g, '-').slice(0, 128),
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: [...request.network.subnets],
          securityGroups: [...request.network.securityGroups],
          assignPublicIp: request.network.assignPublicIp ? 'ENABLED' : 'DISABLED',
        },
      },
      overrides: {
        cpu: String(size.cpu),
        memory: String(size.memory),
        containerOverrides: [
          {
            name: target.container,
            command: [...request.command],
            environment: Object.entries(environment).map(([name, value]) => ({ name, value })),
          },
        ],
      },
    }),
  );
  const taskArn = started.tasks?.[0]?.taskArn;
  if (!taskArn) {
    throw new EcsRunRefusedError(
      target.cluster,
      target.taskDefinition,
      (started.failures ?? []).map(
        (failure) =>
          `${failure.reason ?? 'unknown'}${failure.detail ? ` (${failure.detail})` : ''}`,
      ),
    );
  }
  return { taskArn, target, ecs };
}

/**
 * Runs one task of `request.workload` and waits for it to stop. Resolves when the essential
 * container exits 0; otherwise rejects with `EcsTaskFailedError` carrying the exit code, stop
 * reason and log tail. CPU and memory come from the config's `ecs` section.
 */
export async function runEcsTask(
  request: EcsTaskRequest,
  options: EcsTaskOptions = {},
): Promise<EcsTaskResult> {
  // The run's signal when none is given: a cancelled or timed-out flow stops its task.
  const signal = runSignal(options.signal);
  const { taskArn, target, ecs } = await startEcsTask(request, {
    ...options,
    ...(signal ? { signal } : {}),
  });
  await notifyStarted(options.onStarted, taskArn);

  let stopped: EcsApiTask;
  let polls = 0;
  try {
    stopped = await waitForStopped(ecs, target.cluster, taskArn, options.poll, signal, () => {
      polls += 1;
    });
  } catch (error) {
    if (signal?.aborted) await stopCancelledTask(ecs, target.cluster, taskArn, request, signal);
    throw error;
  }

  const container =
    stopped.containers?.find((candidate) => candidate.name === target.container) ??
    stopped.containers?.[0];
  const exitCode = container?.exitCode;
  const stopReason = stopped.stoppedReason ?? container?.reason ?? '';
  const logStream = ecsLogStreamName(target.logStreamPrefix, target.container, taskArn);
  if (exitCode === 0) {
    return {
      taskArn,
      cluster: target.cluster,
      container: target.container,
      exitCode,
      stopReason,
      stopCode: stopped.stopCode,
      logStream: `${target.logGroup}/${logStream}`,
      polls,
    };
  }
  const logs =
    options.logs ??
    new CloudWatchLogsClient(
      awsClientConfig({ ...options, config: options.config ?? loadConfig({ env: request.env }) }),
    );
  throw new EcsTaskFailedError({
    taskArn,
    container: target.container,
    exitCode,
    stopReason,
    stopCode: stopped.stopCode,
    logTail: await fetchLogTail(logs, target.logGroup, logStream, options.logTailLines ?? 50),
    logStream: `${target.logGroup}/${logStream}`,
  });
}

async function waitForStopped(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  poll: BackoffOptions | undefined,
  signal: AbortSignal | undefined,
  onPoll: () => void,
): Promise<EcsApiTask> {
  for (let attempt = 0; ; attempt += 1) {
    await sleep(backoffDelayMs(attempt, poll), signal);
    const described = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }), {
      ...(signal ? { abortSignal: signal } : {}),
    });
    onPoll();
    const found = described.tasks?.[0];
    if (!found) {
      const reason = described.failures?.[0]?.reason ?? 'not returned by DescribeTasks';
      throw new EcsRunRefusedError(cluster, taskArn, [`the task disappeared: ${reason}`]);
    }
    if (found.lastStatus === 'STOPPED') return found;
  }
}

async function stopCancelledTask(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  request: EcsTaskRequest,
  signal: AbortSignal,
): Promise<void> {
  const why = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
  const reason = `Cancelled by the flow (correlation id ${request.correlationId}): ${why}`;
  try {
    await ecs.send(
      new StopTaskCommand({ cluster, task: taskArn, reason: reason.slice(0, STOP_REASON_MAX) }),
    );
  } catch (error) {
    // The cancellation is what the caller needs to hear about; a failed stop is only logged.
    getRunLogger().warning(
      `Could not stop ECS task ${taskArn} after cancellation: ${(error as Error).message}`,
    );
  }
}

/** `runEcsTask` as a Prefect task; the task run's signal (timeout, cancellation) stops the ECS task. */
export function createEcsTask(
  taskOptions: Partial<TaskOptions<[EcsTaskRequest, EcsTaskOptions?]>> = {},
) {
  return task(
    { name: 'ecs-task', tags: ['aws', 'ecs'], ...taskOptions },
    (request: EcsTaskRequest, options: EcsTaskOptions = {}) => runEcsTask(request, options),
  );
}

export const ecsTask = createEcsTask();
