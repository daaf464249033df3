// transformation-validate-schemas: bronze against the dataset contracts — fields a source added,
// required fields it dropped, values whose JSON type changed. A Glue job per dataset in AWS
// (glue_scripts/validate_schemas.py), the same check in DuckDB locally; both store one report per
// dataset under drift-reports/ in the artifacts zone. Drift fails the run (and so notifies, as
// any failure of a deployable flow does) unless failOnDrift is off.
import { getRunLogger, task } from '@finks/prefect';
import { runId } from '@finks/lake-paths';
import { z } from 'zod';
import { describeDrift, type DriftReport } from '../../transformation/schema-drift/drift-report';
import { schemaDrift } from '../../transformation/schema-drift/schema-drift';
import { SchemaDriftError } from '../../transformation/schema-drift/schema-drift-error';
import { runGlueValidation } from '../aws-steps';
import { correlationIdOf, correlationParameter } from '../correlation';
import { deployableFlow } from '../deployable-flow';
import { resolveTarget, targetParameters } from '../target';
import {
  CONTRACT_IDS,
  bronzeDate,
  datasetsParameter,
  lakeRunIdParameter,
} from './dataset-parameters';

export const validateSchemasParameters = z.object({
  ...targetParameters,
  ...correlationParameter,
  datasets: datasetsParameter,
  dates: z
    .array(bronzeDate)
    .min(1)
    .optional()
    .describe('bronze dt partitions to check (default: the UTC day before the run)'),
  runId: lakeRunIdParameter("the reports' run id and key"),
  failOnDrift: z
    .boolean()
    .optional()
    .describe(
      'fail the run (and send the failure notification) when a dataset drifts; default true',
    ),
});
export type ValidateSchemasParameters = z.input<typeof validateSchemasParameters>;

/**
 * The UTC day before the run. Bronze `dt=` is the UTC day a batch was written, so a daily run
 * after midnight UTC checks each day once and only when it is complete; checking the run's own day
 * too reported a drifted day twice, and half of it the first time.
 */
export function defaultValidationDates(now: Date): string[] {
  return [new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10)];
}

const checkLocally = task(
  {
    name: 'check-drift-duckdb',
    retries: 1,
    retryDelaySeconds: 1,
    tags: ['transformation', 'duckdb'],
  },
  (
    params: ValidateSchemasParameters,
    dates: string[],
    lakeRunId: string,
  ): Promise<DriftReport[]> => {
    const target = resolveTarget(params);
    if (target.kind !== 'local')
      throw new Error('check-drift-duckdb runs on the filesystem lake only');
    return schemaDrift({
      lakeRoot: target.lake.root,
      env: target.lake.env,
      accountId: target.lake.accountId,
      datasets: params.datasets ?? CONTRACT_IDS,
      dates,
      runId: lakeRunId,
    });
  },
);

const checkOnGlue = task(
  { name: 'check-drift-glue', retries: 2, retryDelaySeconds: 30, tags: ['transformation', 'glue'] },
  (
    params: ValidateSchemasParameters,
    dataset: string,
    dates: string[],
    lakeRunId: string,
    correlationId: string,
  ) =>
    runGlueValidation(resolveTarget(params).config, {
      dataset,
      dates,
      runId: lakeRunId,
      correlationId,
    }),
);

export const validateSchemasFlow = deployableFlow(
  {
    name: 'transformation-validate-schemas',
    firstStep: 'check-drift',
    description:
      'Bronze against the dataset contracts: schema drift per dataset (Glue in AWS, DuckDB locally)',
    tags: ['transformation'],
    parameters: validateSchemasParameters,
  },
  async (params: ValidateSchemasParameters, step): Promise<readonly DriftReport[]> => {
    const target = resolveTarget(params);
    const correlationId = correlationIdOf(params);
    const lakeRunId = params.runId ?? runId(new Date());
    const dates = params.dates ?? defaultValidationDates(new Date());
    const reports =
      target.kind === 'local'
        ? await checkLocally(params, dates, lakeRunId)
        : await Promise.all(
            (params.datasets ?? CONTRACT_IDS).map((dataset) =>
              checkOnGlue(params, dataset, dates, lakeRunId, correlationId),
            ),
          );
    const logger = getRunLogger();
    for (const report of reports) {
      const line = `${describeDrift(report)} (${report.records.toLocaleString('en-US')} records, ${report.bronze_parts} parts)`;
      if (report.drift) logger.warning(line);
      else logger.info(line);
    }
    const drifted = reports.filter((report) => report.drift);
    if (drifted.length > 0 && (params.failOnDrift ?? true)) {
      // Counted and notified as this run's failure (deployableFlow), at this step.
      step.name = 'schema-drift';
      throw new SchemaDriftError(drifted);
    }
    return reports;
  },
);
