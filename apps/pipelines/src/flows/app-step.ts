// One step that runs another app's command-line entry point: locally a child process, in AWS the
// same command as an ECS task of that app. Apps never import each other; what comes back is the
// exit status and the JSON summaries the command printed on stdout.
import { appEntryPoints, tsxBin, workspaceRoot } from '../master-flow/app-commands';
import { jsonLines, runChild } from '../master-flow/child-process';
import { runAppOnEcs } from './aws-steps';
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
  readonly signal?: AbortSignal;
}

export interface AppStepResult {
  /** The JSON values the command printed, one per stdout line. */
  readonly summaries: readonly unknown[];
}

const ENTRY: Record<StepApp, string> = {
  ingestion: appEntryPoints.ingestion,
  'dbt-runner': appEntryPoints.dbtRunner,
};

export async function runAppStep(target: StepTarget, step: AppStep): Promise<AppStepResult> {
  if (target.kind === 'aws') return runAppOnEcs(target.config, step);
  const { stdout } = await runChild(tsxBin, [ENTRY[step.app], ...step.args], {
    label: step.label,
    cwd: workspaceRoot,
    env: {
      ...process.env,
      FINKS_ENV: target.config.env,
      FINKS_LAKE_ROOT: target.lake.root,
      FINKS_CORRELATION_ID: step.correlationId,
      ...step.env,
    },
    ...(step.signal ? { signal: step.signal } : {}),
  });
  return { summaries: jsonLines(stdout) };
}
