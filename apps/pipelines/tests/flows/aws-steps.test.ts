// The Glue steps of the flows against moto: a cleansing never overlaps another run of its dataset
// (one job serves every dataset, so the job's MaxConcurrentRuns does not stop it), and a failed
// cleansing or validation says which dataset, dates and batches it was for.
import { CreateJobCommand, GetJobRunCommand, GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { loadConfig, type FinksEnv } from '@finks/config';
import { describe, expect, it } from 'vitest';
import {
  GlueJobFailedError,
  GlueRunOverlapError,
  GlueStepError,
  pipelinesGlueJobName,
} from '../../src/aws';
import { glueRunSubject, runGlueCleansing, runGlueValidation } from '../../src/flows/aws-steps';
import { occupyGlueJob, uniqueName } from '../aws/moto-fixtures';

// No other test runs Glue jobs of staging or local, so their jobs' runs in the shared moto are
// this file's alone (other files read their jobs' run lists). Local's jobs fail every run
// (moto's extension: --finks_fail_with among the job's default arguments).
const staging = loadConfig({ env: 'staging' });
const local = loadConfig({ env: 'local' });
const glue = new GlueClient({ region: staging.region });
const fast = {
  poll: { initialMs: 100, maxMs: 400 },
  concurrencyBackoff: { initialMs: 200, maxMs: 400 },
};
const FAILURE = 'AnalysisException: Path does not exist: s3://finks-local-bronze/dt=2026-11-24';

/** The env's job for a script, as infrastructure creates it (kept if it already exists). */
async function ensureJob(
  env: FinksEnv,
  script: string,
  defaults: Record<string, string> = {},
): Promise<string> {
  const name = pipelinesGlueJobName(env, script);
  await glue
    .send(
      new CreateJobCommand({
        Name: name,
        Role: 'arn:aws:iam::123456789012:role/glue',
        Command: { Name: 'glueetl', ScriptLocation: `s3://artifacts/glue-scripts/${script}.py` },
        ExecutionProperty: { MaxConcurrentRuns: 20 },
        DefaultArguments: defaults,
      }),
    )
    .catch((error: Error) => {
      if (!/already exists/i.test(error.message)) throw error;
    });
  return name;
}

const correlationId = () => uniqueName('aws-steps');

describe('runGlueCleansing', () => {
  it('waits for the active run of its dataset (a retry while the first still runs)', async () => {
    const jobName = await ensureJob('staging', 'cleanse_market_data');
    // A dataset of this test alone, so a run of this file beside another one is not held back.
    const dataset = `test.${uniqueName('overlap').replace('-', '_')}`;
    const first = await occupyGlueJob(jobName, 1.5, { '--dataset': dataset });

    const retry = await runGlueCleansing(
      staging,
      {
        dataset,
        dates: ['2026-11-25'],
        runId: '20261126T010000Z-retry1',
        correlationId: correlationId(),
        batches: 'pending',
      },
      { ...fast, overlapWaitMs: 20_000 },
    );

    expect(retry.waitedForRuns).toEqual([first]);
    const { JobRun: firstRun } = await glue.send(
      new GetJobRunCommand({ JobName: jobName, RunId: first }),
    );
    expect(firstRun?.JobRunState).toBe('SUCCEEDED');
    const { JobRun: retryRun } = await glue.send(
      new GetJobRunCommand({ JobName: jobName, RunId: retry.runId }),
    );
    expect(retryRun?.Arguments).toMatchObject({ '--dataset': dataset, '--batches': 'pending' });
    // Started only once the first had run its 1.5 s (moto's clock for both).
    expect(retryRun?.StartedOn?.getTime()).toBeGreaterThanOrEqual(
      (firstRun?.StartedOn?.getTime() ?? Infinity) + 1_400,
    );
  });

  it('stops waiting at its bound with an error naming the run of its dataset', async () => {
    const jobName = await ensureJob('staging', 'cleanse_market_data');
    const dataset = `test.${uniqueName('overlap').replace('-', '_')}`;
    const backfill = await occupyGlueJob(jobName, 60, { '--dataset': dataset });

    const error = await runGlueCleansing(
      staging,
      {
        dataset,
        dates: ['2026-11-25'],
        runId: '20261126T010000Z-sched1',
        correlationId: correlationId(),
        batches: 'pending',
      },
      { ...fast, overlapWaitMs: 500 },
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GlueRunOverlapError);
    expect((error as Error).message).toContain(
      `Glue job ${jobName} (dataset ${dataset}; dates 2026-11-25; batches pending) was not ` +
        `started: its run ${backfill} with --dataset ${dataset} is still RUNNING`,
    );
  });

  it('names the dataset, the dates and the batches when its run fails', async () => {
    const jobName = await ensureJob('local', 'cleanse_market_data', {
      '--finks_fail_with': FAILURE,
    });

    const error = await runGlueCleansing(
      local,
      {
        dataset: 'fmp.eod_prices',
        dates: ['2026-11-25', '2026-11-24'],
        runId: '20261126T010000Z-fail01',
        correlationId: correlationId(),
        batches: 'pending',
      },
      fast,
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GlueJobFailedError);
    const { runId } = error as GlueJobFailedError;
    expect((error as Error).message).toBe(
      `Glue job ${jobName} run ${runId} (dataset fmp.eod_prices; dates 2026-11-24, 2026-11-25; ` +
        `batches pending) ended FAILED: ${FAILURE}`,
    );
  });
});

describe('runGlueValidation', () => {
  it('names the dataset and the dates when its run fails', async () => {
    const jobName = await ensureJob('local', 'validate_schemas', { '--finks_fail_with': FAILURE });

    const error = await runGlueValidation(
      local,
      {
        dataset: 'fmp.quotes',
        dates: ['2026-11-25'],
        runId: '20261126T020000Z-fail02',
        correlationId: correlationId(),
      },
      {},
      fast,
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GlueJobFailedError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Glue job ${jobName} run jr_\\w+ \\(dataset fmp\\.quotes; dates 2026-11-25\\) ended FAILED: `,
      ),
    );
  });

  it('names the dataset and the dates when its report cannot be read, the S3 error as cause', async () => {
    const jobName = await ensureJob('staging', 'validate_schemas');
    // An S3 that does not answer: the run succeeded, reading its report fails.
    const s3 = new S3Client({
      region: staging.region,
      endpoint: 'http://127.0.0.1:9',
      forcePathStyle: true,
      maxAttempts: 1,
    });

    const error = await runGlueValidation(
      staging,
      {
        dataset: 'fmp.quotes',
        dates: ['2026-11-24', '2026-11-25'],
        runId: '20261126T020000Z-read01',
        correlationId: correlationId(),
      },
      { s3 },
      fast,
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GlueStepError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Reading the drift report s3://\\S+/run=20261126T020000Z-read01/\\S+ of run jr_\\w+ ` +
          `for Glue job ${jobName} \\(dataset fmp\\.quotes; dates 2026-11-24, 2026-11-25\\) failed: `,
      ),
    );
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe('glueRunSubject', () => {
  it('lists a few dates, and tells a long backfill as its range', () => {
    expect(glueRunSubject('fmp.news', [], 'rebuild')).toBe(
      'dataset fmp.news; every bronze date; batches rebuild',
    );
    const january = Array.from(
      { length: 31 },
      (_, day) => `2026-01-${String(day + 1).padStart(2, '0')}`,
    );
    expect(glueRunSubject('fmp.eod_prices', january.reverse(), 'all')).toBe(
      'dataset fmp.eod_prices; dates 2026-01-01 … 2026-01-31 (31); batches all',
    );
  });
});
