// dbt silver → gold through the dbt-runner's command line: in AWS its image as an ECS task, locally
// the same entry point as a child process. Either way the pipelines never import the app.
import type { FinksEnv } from '@finks/config';
import { getRunContext, task, type TaskOptions } from '@finks/prefect';
import { appEntryPoints, tsxBin } from '../master-flow/app-commands';
import { jsonLines, runChild } from '../master-flow/child-process';
import { AwsInputError } from './aws-input-error';
import { checkCorrelationId, type EcsNetwork } from './ecs-request';
import { runEcsTask, type EcsTaskOptions, type EcsTaskResult } from './ecs-task';

export interface DbtBuildRequest {
  readonly env: FinksEnv;
  readonly correlationId: string;
  /** dbt `--select`, e.g. `marts+`; default every model. */
  readonly select?: string;
}

/** Where the runner runs: an ECS task (AWS) or a child process of this one (local). */
export type DbtRunner =
  | { readonly kind: 'ecs'; readonly network: EcsNetwork; readonly options?: EcsTaskOptions }
  | {
      readonly kind: 'local';
      /** Environment of the child (default this process's). */
      readonly env?: NodeJS.ProcessEnv;
      readonly cwd?: string;
      readonly signal?: AbortSignal;
    };

export type DbtBuildResult =
  | { readonly kind: 'ecs'; readonly task: EcsTaskResult }
  | {
      readonly kind: 'local';
      /** The last JSON line the runner printed (its build summary), if any. */
      readonly summary: unknown;
      readonly stderrTail: readonly string[];
    };

/** `build --env=<env> --correlation-id=<id> [--select=…] --json`, the runner's arguments. */
export function dbtBuildArguments(request: DbtBuildRequest): string[] {
  checkCorrelationId(request.correlationId);
  if (request.select !== undefined && !/^[\w.:+*@, /-]{1,500}$/.test(request.select)) {
    throw new AwsInputError('select', `"${request.select}" is not a dbt selector such as marts+`);
  }
  return [
    'build',
    `--env=${request.env}`,
    `--correlation-id=${request.correlationId}`,
    ...(request.select !== undefined ? [`--select=${request.select}`] : []),
    '--json',
  ];
}

/** Runs `dbt build` through the dbt-runner and resolves when it exits 0. */
export async function runDbtBuild(
  request: DbtBuildRequest,
  runner: DbtRunner,
): Promise<DbtBuildResult> {
  const args = dbtBuildArguments(request);
  if (runner.kind === 'ecs') {
    const result = await runEcsTask(
      {
        workload: 'dbtRunner',
        env: request.env,
        correlationId: request.correlationId,
        command: args,
        network: runner.network,
      },
      runner.options,
    );
    return { kind: 'ecs', task: result };
  }
  const child = await runChild(tsxBin, [appEntryPoints.dbtRunner, ...args], {
    label: 'dbt-runner build',
    env: { ...(runner.env ?? process.env), FINKS_CORRELATION_ID: request.correlationId },
    ...(runner.cwd !== undefined ? { cwd: runner.cwd } : {}),
    ...(runner.signal ? { signal: runner.signal } : {}),
  });
  return {
    kind: 'local',
    summary: jsonLines(child.stdout).at(-1) ?? null,
    stderrTail: child.stderrTail,
  };
}

/** `runDbtBuild` as a Prefect task; the run's AbortSignal stops the ECS task or the child. */
export function createDbtBuildTask(
  taskOptions: Partial<TaskOptions<[DbtBuildRequest, DbtRunner]>> = {},
) {
  return task(
    { name: 'dbt-build', tags: ['dbt'], ...taskOptions },
    (request: DbtBuildRequest, runner: DbtRunner) => {
      const signal = getRunContext().signal;
      if (!signal) return runDbtBuild(request, runner);
      return runDbtBuild(
        request,
        runner.kind === 'ecs'
          ? { ...runner, options: { signal, ...runner.options } }
          : { signal, ...runner },
      );
    },
  );
}

export const dbtBuildTask = createDbtBuildTask();
