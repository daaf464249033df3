// One step that runs another app's command-line entry point: locally a child process, in AWS the
// same command as an ECS task of that app. Apps never import each other; what comes back is the
// exit status and the JSON summaries the command printed on stdout.
import { appEntryPoints, tsxBin, workspaceRoot } from '../master-flow/app-commands';
import { jsonLines, runChild, type ChildResult } from '../master-flow/child-process';
import { runAppOnEcs } from './aws-steps';
import { runSignal } from '../aws/run-signal';
import type { StepTarget } from './target';

export type StepApp = 'ingestion' | 'dbt-runner';

export interface AppStep {
  readonly app: StepApp;
  /** The command and its flags, as after the entry point (`fmp --symbols=…`). */
  readonly args: readonly string[];
  readonly correlationId: string;
  /** Extra environment for the command (secrets only when the target is local). */
  readonly env?: Readonly<Record<string, string>>;
  readonly label: string;
  /** Stops the step (the child process, or StopTask on the ECS task); default: the run's. */
  readonly signal?: AbortSignal;
}

/** The step with the run's signal when it names none (see runSignal): it stops a local child. */
function withRunSignal(step: AppStep): AppStep {
  const signal = runSignal(step.signal);
  return signal ? { ...step, signal } : step;
}

export interface AppStepResult {
  /** The JSON values the command printed, one per stdout line. */
  readonly summaries: readonly unknown[];
}

const ENTRY: Record<StepApp, string> = {
  ingestion: appEntryPoints.ingestion,
  'dbt-runner': appEntryPoints.dbtRunner,
};

/** A local step started ahead with `--hold`, waiting to be released (prepareAppStep). */
interface PreparedStep {
  readonly correlationId: string;
  release(go: boolean): void;
  readonly result: Promise<ChildResult>;
}

// Keyed by everything that makes a step (stepKey): only the very same step takes a prepared one.
const prepared = new Map<string, PreparedStep>();

const stepKey = (step: AppStep) =>
  JSON.stringify([step.app, step.args, step.correlationId, step.env ?? {}]);

function localEnv(target: Extract<StepTarget, { kind: 'local' }>, step: AppStep) {
  return {
    ...process.env,
    FINKS_ENV: target.config.env,
    FINKS_LAKE_ROOT: target.lake.root,
    FINKS_CORRELATION_ID: step.correlationId,
    ...step.env,
  };
}

/**
 * Locally, starts `step` now with `--hold` (the dbt-runner: dbt imports and parses, then waits),
 * so the runAppStep of the same step later only releases it: a local master flow starts its gold
 * step when silver begins. In AWS it does nothing: there the step is an ECS task started when run.
 * Whatever is not taken by runAppStep must be given back with discardPreparedSteps.
 */
export function prepareAppStep(target: StepTarget, given: AppStep): void {
  if (target.kind === 'aws') return;
  const step = withRunSignal(given);
  const key = stepKey(step);
  if (prepared.has(key)) return;
  let release: (go: boolean) => void = () => undefined;
  const go = new Promise<boolean>((resolve) => (release = resolve));
  const result = runChild(tsxBin, [ENTRY[step.app], ...step.args, '--hold'], {
    label: step.label,
    cwd: workspaceRoot,
    env: localEnv(target, step),
    release: go,
    ...(step.signal ? { signal: step.signal } : {}),
  });
  // Read when the step is taken; one discarded ends "not released" (exit 3) on purpose.
  result.catch(() => undefined);
  prepared.set(key, { correlationId: step.correlationId, release, result });
}

/**
 * Ends the steps prepared for `correlationId` and not taken (its flow stopped before them): each
 * exits, running nothing. Another run's prepared steps in the same process are left alone.
 */
export async function discardPreparedSteps(correlationId: string): Promise<void> {
  const left = [...prepared].filter(([, step]) => step.correlationId === correlationId);
  for (const [key] of left) prepared.delete(key);
  for (const [, step] of left) step.release(false);
  await Promise.allSettled(left.map(([, step]) => step.result));
}

export async function runAppStep(target: StepTarget, given: AppStep): Promise<AppStepResult> {
  const step = withRunSignal(given);
  if (target.kind === 'aws') return runAppOnEcs(target.config, step);
  const key = stepKey(step);
  const held = prepared.get(key);
  if (held) {
    prepared.delete(key);
    held.release(true);
    return { summaries: jsonLines((await held.result).stdout) };
  }
  const { stdout } = await runChild(tsxBin, [ENTRY[step.app], ...step.args], {
    label: step.label,
    cwd: workspaceRoot,
    env: localEnv(target, step),
    ...(step.signal ? { signal: step.signal } : {}),
  });
  return { summaries: jsonLines(stdout) };
}
