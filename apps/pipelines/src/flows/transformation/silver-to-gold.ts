// transformation-silver-to-gold: `dbt build` through the dbt-runner (dbt-duckdb locally, an ECS
// task with dbt-athena in AWS). The dbt-runner prints its result as the last JSON line.
import { flow, task } from '@finks/prefect';
import { z } from 'zod';
import { runAppStep, type AppStep } from '../app-step';
import { correlationIdOf, correlationParameter } from '../correlation';
import { resolveTarget, targetParameters, type StepTarget } from '../target';

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

export const silverToGoldFlow = flow(
  {
    name: 'transformation-silver-to-gold',
    description: 'Silver → gold marts with dbt build',
    tags: ['transformation', 'dbt'],
    parameters: silverToGoldParameters,
  },
  async (params: SilverToGoldParameters) => dbtBuild(params, correlationIdOf(params)),
);
