// transformation-bronze-to-silver: the dataset contracts applied to bronze partitions — a Glue
// job per dataset in AWS (glue_scripts/cleanse_market_data.py), the same cleansing in DuckDB
// locally. Both write silver Parquet by date and quarantine rejects with their reasons.
import { task } from '@finks/prefect';
import { runId } from '@finks/lake-paths';
import { z } from 'zod';
import {
  BATCH_SELECTIONS,
  batchSelectionProblem,
  bronzeToSilver,
  datesToCleanse,
  type DatasetCleansingSummary,
} from '../../transformation/bronze-to-silver/bronze-to-silver';
import { CATCH_UP_DAYS } from '../../transformation/bronze-to-silver/catch-up-window';
import { runGlueCleansing } from '../aws-steps';
import { correlationIdOf, correlationParameter } from '../correlation';
import { deployableFlow } from '../deployable-flow';
import { resolveTarget, targetParameters } from '../target';
import {
  CONTRACT_IDS,
  bronzeDate,
  datasetsParameter,
  lakeRunIdParameter,
} from './dataset-parameters';

export const bronzeToSilverParameters = z
  .object({
    ...targetParameters,
    ...correlationParameter,
    datasets: datasetsParameter,
    dates: z
      .array(bronzeDate)
      .default([])
      .describe(
        'bronze dt partitions to cleanse; none with batches "pending" reads the catch-up window ' +
          `(the ${CATCH_UP_DAYS} UTC days before the run and today), none with "rebuild" reads them all`,
      ),
    runId: lakeRunIdParameter("each reject's rejected_by run id"),
    batches: z
      .enum(BATCH_SELECTIONS)
      .default('all')
      .describe(
        'all: every complete batch of the dates, merged into silver (backfills); pending: only the ' +
          'batches the silver ledger lacks (scheduled runs); rebuild: every bronze date into tables ' +
          'built anew (after a contract change)',
      ),
  })
  // The batch-selection rule is part of the schema, so a run that breaks it fails before it
  // starts and `pipelines:validate` refuses a deployment whose parameters break it.
  .superRefine(({ batches, dates }, context) => {
    const problem = batchSelectionProblem(batches, dates);
    if (problem !== null) context.addIssue({ code: 'custom', path: ['dates'], message: problem });
  });
export type BronzeToSilverParameters = z.input<typeof bronzeToSilverParameters>;

const cleanseLocally = task(
  { name: 'cleanse-duckdb', retries: 1, retryDelaySeconds: 1, tags: ['transformation', 'duckdb'] },
  (
    params: BronzeToSilverParameters,
    dates: readonly string[],
    lakeRunId: string,
  ): Promise<DatasetCleansingSummary[]> => {
    const target = resolveTarget(params);
    if (target.kind !== 'local') throw new Error('cleanse-duckdb runs on the filesystem lake only');
    return bronzeToSilver({
      lakeRoot: target.lake.root,
      env: target.lake.env,
      accountId: target.lake.accountId,
      datasets: params.datasets ?? CONTRACT_IDS,
      dates,
      runId: lakeRunId,
      batches: params.batches ?? 'all',
    });
  },
);

const cleanseOnGlue = task(
  { name: 'cleanse-glue', retries: 2, retryDelaySeconds: 30, tags: ['transformation', 'glue'] },
  (
    params: BronzeToSilverParameters,
    dataset: string,
    dates: readonly string[],
    lakeRunId: string,
    correlationId: string,
  ) =>
    runGlueCleansing(resolveTarget(params).config, {
      dataset,
      dates,
      runId: lakeRunId,
      correlationId,
      batches: params.batches ?? 'all',
    }),
);

export type BronzeToSilverResult = readonly DatasetCleansingSummary[] | readonly unknown[];

export const bronzeToSilverFlow = deployableFlow(
  {
    name: 'transformation-bronze-to-silver',
    firstStep: 'cleanse',
    description: 'Bronze → silver per dataset contract (Glue in AWS, DuckDB locally)',
    tags: ['transformation'],
    parameters: bronzeToSilverParameters,
  },
  async (params: BronzeToSilverParameters) => {
    const target = resolveTarget(params);
    const correlationId = correlationIdOf(params);
    const lakeRunId = params.runId ?? runId(new Date());
    // Named here, once, so the Glue jobs and DuckDB read the same days (and the run shows them).
    const dates = datesToCleanse(params.batches ?? 'all', params.dates ?? [], new Date());
    if (target.kind === 'local') return cleanseLocally(params, dates, lakeRunId);
    // One Glue job run per dataset, in parallel: each job has its own concurrency limit.
    return Promise.all(
      (params.datasets ?? CONTRACT_IDS).map((dataset) =>
        cleanseOnGlue(params, dataset, dates, lakeRunId, correlationId),
      ),
    );
  },
);
