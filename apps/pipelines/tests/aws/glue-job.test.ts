import { GetJobRunCommand, StartJobRunCommand } from '@aws-sdk/client-glue';
import { createPrefectClient, flow, getRunContext } from '@finks/prefect';
import { readFlowRunHistory } from '@finks/prefect/testing';
import { prefectApiUrl } from '@finks/dev-services';
import { describe, expect, it } from 'vitest';
import {
  createGlueJobTask,
  GlueConcurrencyLimitError,
  GlueJobFailedError,
  pipelinesGlueJobName,
  runGlueJob,
} from '../../src/aws';
import { config, createGlueJob, glue } from './moto-fixtures';

// Behaviours of the moto extension (tools/dev-env/moto): a run stays RUNNING for
// --finks_run_seconds, and --finks_fail_with makes it end FAILED with that ErrorMessage.
const poll = { initialMs: 100, maxMs: 400 };
// The shared Prefect server runs on SQLite: under load from parallel test runs it answers writes
// with "database is locked" 503s, which the client retries for up to a minute per request.
const PREFECT_TEST_TIMEOUT_MS = 180_000;
const concurrencyBackoff = { initialMs: 200, maxMs: 400 };

/** Holds the job's only concurrent slot for `seconds`. */
async function occupy(jobName: string, seconds: number): Promise<void> {
  await glue.send(
    new StartJobRunCommand({
      JobName: jobName,
      Arguments: { '--finks_run_seconds': String(seconds) },
    }),
  );
}

describe('runGlueJob', () => {
  it('starts the job with the correlation id among its arguments and waits for SUCCEEDED', async () => {
    const jobName = await createGlueJob();
    const result = await runGlueJob(
      {
        jobName,
        correlationId: '20261126T010000Z-glue01',
        arguments: { dates: '2026-11-25', '--finks_run_seconds': '0.3' },
      },
      // No client passed: the task builds its own, in the config's region, at AWS_ENDPOINT_URL.
      { config, poll },
    );

    expect(result).toMatchObject({ jobName, state: 'SUCCEEDED', concurrencyRetries: 0 });
    const { JobRun: run } = await glue.send(
      new GetJobRunCommand({ JobName: jobName, RunId: result.runId }),
    );
    expect(run?.Arguments).toMatchObject({
      '--correlation_id': '20261126T010000Z-glue01',
      '--dates': '2026-11-25',
      '--dataset': 'fmp.eod_prices',
    });
  });

  it('rejects with Glue ErrorMessage when the run fails', async () => {
    const jobName = await createGlueJob();
    const error = await runGlueJob(
      {
        jobName,
        correlationId: '20261126T010000Z-glue02',
        arguments: {
          '--finks_run_seconds': '0.2',
          '--finks_fail_with': 'AnalysisException: Path does not exist: s3://bronze/dt=2026-11-25',
        },
      },
      { config, glue, poll },
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GlueJobFailedError);
    expect(error).toMatchObject({
      code: 'glue_job_failed',
      jobName,
      state: 'FAILED',
      errorMessage: 'AnalysisException: Path does not exist: s3://bronze/dt=2026-11-25',
    });
  });

  it('waits while the job is at its MaxConcurrentRuns, then starts', async () => {
    const jobName = await createGlueJob(1);
    await occupy(jobName, 1);
    const result = await runGlueJob(
      { jobName, correlationId: '20261126T010000Z-glue03' },
      { config, glue, poll, concurrencyBackoff, concurrencyWaitMs: 20_000 },
    );
    expect(result.state).toBe('SUCCEEDED');
    expect(result.concurrencyRetries).toBeGreaterThan(0);
  });

  it('gives up with a clear error when the limit lasts longer than it may wait', async () => {
    const jobName = await createGlueJob(1);
    await occupy(jobName, 60);
    const error = await runGlueJob(
      { jobName, correlationId: '20261126T010000Z-glue04' },
      { config, glue, poll, concurrencyBackoff, concurrencyWaitMs: 500 },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GlueConcurrencyLimitError);
    expect((error as Error).message).toMatch(
      new RegExp(`Glue job ${jobName} still runs as many runs as its MaxConcurrentRuns allows`),
    );
  });

  it('names jobs as infrastructure does', () => {
    expect(pipelinesGlueJobName('prod', 'cleanse_market_data.py')).toBe(
      'finks-prod-pipelines-cleanse-market-data',
    );
  });
});

describe('the glue-job task inside a Prefect flow', () => {
  it(
    'fails, is retried by the server and succeeds; the task run shows the retry',
    async () => {
      const jobName = await createGlueJob(1);
      // The first attempt meets the limit and may not wait; the retry comes after the slot is free.
      const glueJob = createGlueJobTask({
        name: 'glue-job-retry-test',
        retries: 1,
        retryDelaySeconds: 2,
      });
      const testFlow = flow({ name: 'aws-glue-retry-test' }, async () => {
        await occupy(jobName, 1);
        const result = await glueJob(
          { jobName, correlationId: '20261126T010000Z-glue05' },
          { config, glue, poll, concurrencyWaitMs: 0 },
        );
        return { result, flowRunId: getRunContext().flowRunId };
      });

      const { result, flowRunId } = await testFlow();
      expect(result.state).toBe('SUCCEEDED');
      if (!flowRunId) throw new Error('the flow ran without a Prefect API');

      const history = await readFlowRunHistory(
        createPrefectClient({ apiUrl: prefectApiUrl() }),
        flowRunId,
      );
      const taskRun = history.taskRuns.find((run) => run.name.startsWith('glue-job-retry-test'));
      expect(taskRun?.states).toEqual(['Running', 'AwaitingRetry', 'Retrying', 'Completed']);
      expect(taskRun?.runCount).toBe(2);
      expect(history.states.at(-1)).toBe('Completed');
    },
    PREFECT_TEST_TIMEOUT_MS,
  );
});
