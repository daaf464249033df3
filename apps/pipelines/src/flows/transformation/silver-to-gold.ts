// transformation-silver-to-gold: `dbt build` through the dbt-runner (dbt-duckdb locally, an ECS
// task with dbt-athena in AWS). The dbt-runner prints its result as the last JSON line.
//
// The scheduled `dbt-build` deployment sets `cleansePendingFirst`: the run first cleanses the
// bronze batches silver lacks over the catch-up window (transformation-bronze-to-silver, batches
// pending, as a subflow) and builds only once that succeeded. So gold is never built on a silver
// that misses bronze already landed: after a day's ingestion, after a failed or skipped
// cleansing, whatever ran before. Ordering two schedules by the clock could not promise that
// (the cleansing may run late, fail or be paused), and a second scheduled cleansing beside this
// one would repeat its batches and, when late, overlap it: two cleansings of one dataset must not
// write its silver partitions at once (the last to finish drops the other's new rows).
import { task } from '@finks/prefect';
import { z } from 'zod';
import { runAppStep, type AppStep } from '../app-step';
import { correlationIdOf, correlationParameter } from '../correlation';
import { deployableFlow } from '../deployable-flow';
import { resolveTarget, targetParameters, type StepTarget } from '../target';
import { bronzeToSilverFlow } from './bronze-to-silver';

export const silverToGoldParameters = z.object({
  ...targetParameters,
  ...correlationParameter,
  select: z
    .string()
    .regex(/^[\w.:+*@, /-]{1,500}$/, 'a dbt selector such as marts+ or tag:daily')
    .optional()
    .describe('dbt --select (default: every model)'),
  unitTests: z
    .boolean()
    .optional()
    .describe('also run the dbt unit tests (default: no; CI runs them, on fixed inputs)'),
  cleansePendingFirst: z
    .boolean()
    .optional()
    .describe(
      'first cleanse the bronze batches silver lacks over the catch-up window, and build only if ' +
        'that succeeded (the scheduled dbt-build; default no: the master flow has just cleansed)',
    ),
});
export type SilverToGoldParameters = z.input<typeof silverToGoldParameters>;

export interface DbtBuildResult {
  readonly exitCode: number;
  readonly message: string;
  readonly summary: unknown;
}

/** The dbt-runner command of the gold step; the master flow prepares the same one ahead. */
export function dbtBuildStep(
  params: SilverToGoldParameters,
  target: StepTarget,
  correlationId: string,
): AppStep {
  return {
    app: 'dbt-runner',
    args: [
      'build',
      `--env=${target.config.env}`,
      `--correlation-id=${correlationId}`,
      ...(params.select ? [`--select=${params.select}`] : []),
      // dbt's advice: unit tests check the SQL on fixed inputs, so they belong to CI (the
      // dbt-runner's tests and slim CI build them); a run on the data skips them.
      ...(params.unitTests === true ? [] : ['--exclude=test_type:unit']),
      // An environment's whole build is its main build: its manifest becomes the env's latest
      // (dbt/<env>/latest/manifest.json), the state slim CI's `--state-env` compares with.
      // Locally the runner publishes on its own.
      ...(target.kind === 'aws' && !params.select ? ['--publish-latest'] : []),
      '--json',
    ],
    correlationId,
    label: 'dbt-runner build',
  };
}

const dbtBuild = task(
  { name: 'dbt-build', retries: 0, tags: ['transformation', 'dbt'] },
  async (params: SilverToGoldParameters, correlationId: string): Promise<DbtBuildResult> => {
    const target = resolveTarget(params);
    const { summaries } = await runAppStep(target, dbtBuildStep(params, target, correlationId));
    const last = summaries.at(-1) as Partial<DbtBuildResult> | undefined;
    return {
      exitCode: typeof last?.exitCode === 'number' ? last.exitCode : 0,
      message: typeof last?.message === 'string' ? last.message : 'dbt build finished',
      summary: last?.summary ?? null,
    };
  },
);

export const silverToGoldFlow = deployableFlow(
  {
    name: 'transformation-silver-to-gold',
    description: 'Silver → gold marts with dbt build',
    tags: ['transformation', 'dbt'],
    parameters: silverToGoldParameters,
    firstStep: 'dbt-build',
  },
  async (params: SilverToGoldParameters, step) => {
    const correlationId = correlationIdOf(params);
    if (params.cleansePendingFirst === true) {
      step.name = 'cleanse-pending';
      await bronzeToSilverFlow({
        ...(params.env !== undefined ? { env: params.env } : {}),
        ...(params.lakeRoot !== undefined ? { lakeRoot: params.lakeRoot } : {}),
        correlationId,
        // No dates: the catch-up window up to now.
        batches: 'pending',
      });
      step.name = 'dbt-build';
    }
    return dbtBuild(params, correlationId);
  },
);
