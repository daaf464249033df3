import {
  ConcurrentRunsExceededException,
  GetJobRunCommand,
  GetJobRunsCommand,
} from '@aws-sdk/client-glue';
import { createPrefectClient, flow, getRunContext } from '@finks/prefect';
import { readFlowRunHistory } from '@finks/prefect/testing';
import { prefectApiUrl } from '@finks/dev-services';
import { describe, expect, it } from 'vitest';
import {
  AwsInputError,
  createGlueJobTask,
  GlueConcurrencyLimitError,
  GlueJobFailedError,
  GlueRunOverlapError,
  GlueStepError,
  pipelinesGlueJobName,
  runGlueJob,
} from '../../src/aws';
import { config, createGlueJob, glue, occupyGlueJob, uniqueName } from './moto-fixtures';

// Behaviours of the moto extension (tools/dev-env/moto): a run stays RUNNING for
// --finks_run_seconds, and --finks_fail_with makes it end FAILED with that ErrorMessage.
const poll = { initialMs: 100, maxMs: 400 };
// The shared Prefect server runs on SQLite: under load from parallel test runs it answers writes
// with "database is locked" 503s, which the client retries for up to a minute per request.
const PREFECT_TEST_TIMEOUT_MS = 180_000;
const concurrencyBackoff = { initialMs: 200, maxMs: 400 };

const subject = 'dataset fmp.eod_prices; dates 2026-11-25; batches pending';

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

  it('rejects with Glue ErrorMessage and what the run worked on when the run fails', async () => {
    const jobName = await createGlueJob();
    const error = await runGlueJob(
      {
        jobName,
        correlationId: '20261126T010000Z-glue02',
        subject,
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
      subject,
      errorMessage: 'AnalysisException: Path does not exist: s3://bronze/dt=2026-11-25',
    });
    const { runId } = error as GlueJobFailedError;
    expect((error as Error).message).toBe(
      `Glue job ${jobName} run ${runId} (${subject}) ended FAILED: ` +
        'AnalysisException: Path does not exist: s3://bronze/dt=2026-11-25',
    );
  });

  it('wraps a failed Glue request, naming the job, the request and the subject', async () => {
    const jobName = uniqueName('finks-no-such-job');
    const error = await runGlueJob(
      { jobName, correlationId: '20261126T010000Z-glue06', subject },
      { config, glue, poll },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GlueStepError);
    expect(error).toMatchObject({ code: 'glue_step_failed', jobName, subject });
    expect((error as Error).message).toMatch(
      new RegExp(`^StartJobRun for Glue job ${jobName} \\(${subject}\\) failed: .+`),
    );
    expect((error as Error).cause).toMatchObject({ name: 'EntityNotFoundException' });
  });

  it('waits while the job is at its MaxConcurrentRuns, then starts', async () => {
    const jobName = await createGlueJob(1);
    await occupyGlueJob(jobName, 1);
    const result = await runGlueJob(
      { jobName, correlationId: '20261126T010000Z-glue03' },
      { config, glue, poll, concurrencyBackoff, concurrencyWaitMs: 20_000 },
    );
    expect(result.state).toBe('SUCCEEDED');
    expect(result.concurrencyRetries).toBeGreaterThan(0);
  });

  it('gives up with a clear error when the limit lasts longer than it may wait', async () => {
    const jobName = await createGlueJob(1);
    await occupyGlueJob(jobName, 60);
    const error = await runGlueJob(
      { jobName, correlationId: '20261126T010000Z-glue04' },
      { config, glue, poll, concurrencyBackoff, concurrencyWaitMs: 500 },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GlueConcurrencyLimitError);
    expect((error as Error).message).toMatch(
      new RegExp(`Glue job ${jobName} still runs as many runs as its MaxConcurrentRuns allows`),
    );

    const named = await runGlueJob(
      { jobName, correlationId: '20261126T010000Z-glue07', subject },
      { config, glue, poll, concurrencyBackoff, concurrencyWaitMs: 0 },
    ).catch((caught: unknown) => caught);
    expect(named).toBeInstanceOf(GlueConcurrencyLimitError);
    expect(named).toMatchObject({ subject });
    expect((named as Error).message).toContain(`Glue job ${jobName} (${subject}) still runs`);
    expect((named as Error).cause).toBeInstanceOf(ConcurrentRunsExceededException);
  });

  it('names jobs as infrastructure does', () => {
    expect(pipelinesGlueJobName('prod', 'cleanse_market_data.py')).toBe(
      'finks-prod-pipelines-cleanse-market-data',
    );
  });
});

describe('runGlueJob with an exclusive argument', () => {
  const overlapOptions = { config, glue, poll, concurrencyBackoff };
  const request = (jobName: string, correlationId: string) => ({
    jobName,
    correlationId,
    subject,
    arguments: { dataset: 'fmp.eod_prices', dates: '2026-11-25' },
    exclusiveArgument: 'dataset',
  });

  it('waits while a run with the same value is active, then starts', async () => {
    // Room for both runs: what holds the second back is the overlap, not MaxConcurrentRuns.
    const jobName = await createGlueJob(5);
    const blocker = await occupyGlueJob(jobName, 1.5, { '--dataset': 'fmp.eod_prices' });
    const since = Date.now();

    const result = await runGlueJob(request(jobName, '20261126T010000Z-over01'), {
      ...overlapOptions,
      overlapWaitMs: 20_000,
    });

    expect(result).toMatchObject({ state: 'SUCCEEDED', waitedForRuns: [blocker] });
    expect(result.concurrencyRetries).toBe(0);
    expect(Date.now() - since).toBeGreaterThanOrEqual(1_000);
    const { JobRun: first } = await glue.send(
      new GetJobRunCommand({ JobName: jobName, RunId: blocker }),
    );
    expect(first?.JobRunState).toBe('SUCCEEDED');
  });

  it('is not held back by active runs of other values or by ended runs of its own', async () => {
    const jobName = await createGlueJob(5);
    await occupyGlueJob(jobName, 30, { '--dataset': 'fmp.quotes' });
    await occupyGlueJob(jobName, 0, { '--dataset': 'fmp.eod_prices' });

    const result = await runGlueJob(request(jobName, '20261126T010000Z-over02'), {
      ...overlapOptions,
      overlapWaitMs: 20_000,
    });
    expect(result.waitedForRuns).toEqual([]);
  });

  it('looks again after each refusal at the MaxConcurrentRuns: a run may start meanwhile', async () => {
    const jobName = await createGlueJob(1);
    const occupant = await occupyGlueJob(jobName, 0.5, { '--dataset': 'fmp.quotes' });
    let intruder: string | undefined;
    // The moto client, except that when the first StartJobRun is refused for the limit, a run
    // of the same dataset takes the slot the moment the occupant leaves it.
    const racingGlue = {
      send: async (...args: Parameters<typeof glue.send>) => {
        try {
          return await glue.send(...args);
        } catch (error) {
          if (error instanceof ConcurrentRunsExceededException && intruder === undefined) {
            for (;;) {
              const { JobRun } = await glue.send(
                new GetJobRunCommand({ JobName: jobName, RunId: occupant }),
              );
              if (JobRun?.JobRunState !== 'RUNNING') break;
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
            intruder = await occupyGlueJob(jobName, 1, { '--dataset': 'fmp.eod_prices' });
          }
          throw error;
        }
      },
    } as unknown as typeof glue;

    const result = await runGlueJob(request(jobName, '20261126T010000Z-over05'), {
      ...overlapOptions,
      glue: racingGlue,
      concurrencyWaitMs: 20_000,
      overlapWaitMs: 20_000,
    });

    expect(intruder).toBeDefined();
    expect(result).toMatchObject({ concurrencyRetries: 1, waitedForRuns: [intruder] });
  });

  it('gives up naming the run it waited for, and starts none', async () => {
    const jobName = await createGlueJob(5);
    const blocker = await occupyGlueJob(jobName, 60, { '--dataset': 'fmp.eod_prices' });

    const error = await runGlueJob(request(jobName, '20261126T010000Z-over03'), {
      ...overlapOptions,
      overlapWaitMs: 500,
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GlueRunOverlapError);
    expect(error).toMatchObject({
      code: 'glue_run_overlap',
      jobName,
      blockingRunId: blocker,
      blockingState: 'RUNNING',
      argument: '--dataset',
      value: 'fmp.eod_prices',
    });
    expect((error as Error).message).toContain(
      `Glue job ${jobName} (${subject}) was not started: its run ${blocker} with --dataset fmp.eod_prices is still RUNNING`,
    );
    expect((error as Error).message).toContain(
      `aws glue batch-stop-job-run --job-name ${jobName} --job-run-ids ${blocker}`,
    );
    const { JobRuns = [] } = await glue.send(new GetJobRunsCommand({ JobName: jobName }));
    expect(JobRuns.map((run) => run.Id)).toEqual([blocker]);
  });

  it('refuses an exclusive argument the run does not pass', async () => {
    const jobName = await createGlueJob(5);
    await expect(
      runGlueJob(
        { ...request(jobName, '20261126T010000Z-over04'), exclusiveArgument: '--symbol' },
        overlapOptions,
      ),
    ).rejects.toThrow(AwsInputError);
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
        await occupyGlueJob(jobName, 1);
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
