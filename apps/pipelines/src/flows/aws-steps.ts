// The AWS side of the flows' steps: another app's command as an ECS task, a cleansing Glue job
// run, and the watchdog of the news-stream task. Names come from @finks/iam-names the way
// apps/infrastructure names the resources.
import {
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { FinksConfig, FinksEnv } from '@finks/config';
import { findContractById } from '@finks/contracts';
import {
  bronzeDatasetPrefix,
  bucketName,
  driftReportKey,
  glueContractsKey,
  parseEnv,
} from '@finks/lake-paths';
import {
  awsClientConfig,
  ecsTargetFor,
  GlueStepError,
  pipelinesGlueJobName,
  runEcsTask,
  runGlueJob,
  startEcsTask,
} from '../aws';
import type { GlueJobOptions, GlueJobResult } from '../aws';
import type { BatchSelection } from '../transformation/bronze-to-silver/bronze-to-silver';
import { parseDriftReport, type DriftReport } from '../transformation/schema-drift/drift-report';
import type { AppStep, AppStepResult } from './app-step';
import { ecsNetworkFromEnv } from './ecs-network';
import type { SupervisionResult } from './ingestion/streaming';

const finksEnv = (config: FinksConfig) => config.env as FinksEnv;

/** The ECS workload that runs an app command: the connector by its name, dbt for dbt-runner. */
function workloadOf(step: AppStep) {
  if (step.app === 'dbt-runner') return 'dbtRunner' as const;
  const command = step.args[0];
  if (command === 'fmp') return 'ingestionFmp' as const;
  if (command === 'mongodb') return 'ingestionMongodb' as const;
  if (command === 'news-stream') return 'newsStream' as const;
  throw new Error(
    `no ECS workload runs "ingestion ${command ?? ''}"; expected fmp, mongodb or news-stream`,
  );
}

/**
 * The container command override. Each connector image has its subcommand in its ENTRYPOINT
 * (apps/ingestion/docker/<connector>.Dockerfile), so only the flags follow; dbt-runner's image
 * takes the whole command (`build …`).
 */
export function ecsCommandOf(step: AppStep): string[] {
  return step.app === 'ingestion' ? step.args.slice(1) : [...step.args];
}

/** Runs the step's command as an ECS task and waits for it; its summaries stay in its log. */
export async function runAppOnEcs(config: FinksConfig, step: AppStep): Promise<AppStepResult> {
  const result = await runEcsTask(
    {
      workload: workloadOf(step),
      env: finksEnv(config),
      correlationId: step.correlationId,
      command: ecsCommandOf(step),
      ...(step.env ? { environment: step.env } : {}),
      network: ecsNetworkFromEnv(),
    },
    { config, ...(step.signal ? { signal: step.signal } : {}) },
  );
  return {
    summaries: [
      { taskArn: result.taskArn, logStream: result.logStream, stopReason: result.stopReason },
    ],
  };
}

/** The contracts the Glue scripts read, beside them (apps/infrastructure uploads it there). */
function contractsUri(config: FinksConfig): string {
  const artifacts = bucketName({
    env: parseEnv(config.env),
    zone: 'artifacts',
    accountId: config.accountId,
  });
  return `s3://${artifacts}/${glueContractsKey()}`;
}

/** How the Glue steps wait and poll (defaults: `GlueJobOptions`'); tests shorten them. */
export type GlueStepOptions = Pick<
  GlueJobOptions,
  'glue' | 'poll' | 'concurrencyWaitMs' | 'concurrencyBackoff' | 'overlapWaitMs' | 'signal'
>;

/** Dates listed up to this many; a longer backfill is told as its range and count. */
const DATES_LISTED = 5;

/**
 * What a Glue run of one dataset works on, for its errors and logs: every dataset runs as the
 * same job, so without this on-call would have to look the run id up to learn which one failed.
 */
export function glueRunSubject(
  dataset: string,
  dates: readonly string[],
  batches?: BatchSelection,
): string {
  const sorted = [...dates].sort();
  const days =
    sorted.length === 0
      ? 'every bronze date'
      : sorted.length <= DATES_LISTED
        ? `dates ${sorted.join(', ')}`
        : `dates ${sorted[0]} … ${sorted.at(-1)} (${sorted.length})`;
  return [`dataset ${dataset}`, days, ...(batches ? [`batches ${batches}`] : [])].join('; ');
}

export interface GlueCleansing {
  readonly dataset: string;
  readonly dates: readonly string[];
  readonly runId: string;
  readonly correlationId: string;
  /** Which batches (cleanse_market_data.py `--batches`); default `all`. */
  readonly batches?: BatchSelection;
}

/**
 * One run of glue_scripts/cleanse_market_data.py for one dataset over bronze dates. It starts
 * only once no other run of that dataset is active (a task retry while the first run still runs,
 * a backfill beside the scheduled run): each overwrites silver partitions from the silver it read
 * at its start, so the later one would drop the other's batches that the ledger lists as
 * cleansed.
 */
export function runGlueCleansing(
  config: FinksConfig,
  request: GlueCleansing,
  options: GlueStepOptions = {},
): Promise<GlueJobResult> {
  const env = parseEnv(config.env);
  const bucket = (zone: 'bronze' | 'silver' | 'quarantine') =>
    `s3://${bucketName({ env, zone, accountId: config.accountId })}/`;
  const batches = request.batches ?? 'all';
  return runGlueJob(
    {
      jobName: pipelinesGlueJobName(finksEnv(config), 'cleanse_market_data'),
      correlationId: request.correlationId,
      subject: glueRunSubject(request.dataset, request.dates, batches),
      exclusiveArgument: 'dataset',
      arguments: {
        dataset: request.dataset,
        // A rebuild reads every bronze date and takes none.
        ...(request.dates.length > 0 ? { dates: request.dates.join(',') } : {}),
        run_id: request.runId,
        contracts: contractsUri(config),
        bronze_root: bucket('bronze'),
        silver_root: bucket('silver'),
        quarantine_root: bucket('quarantine'),
        batches,
      },
    },
    { config, ...options },
  );
}

export interface GlueValidation {
  readonly dataset: string;
  readonly dates: readonly string[];
  /** The validation run: the report's `run_id` and key. */
  readonly runId: string;
  readonly correlationId: string;
}

/**
 * One run of glue_scripts/validate_schemas.py for one dataset over bronze dates, and its drift
 * report, which the job stores in the artifacts zone (`--report`) and this reads back. Drift does
 * not fail the job: the flow decides what it means.
 *
 * Runs of one dataset may overlap here: they only read bronze, and each writes the report of its
 * own run id (a task retry rewrites the same report from the same bronze), so nothing is lost.
 */
export async function runGlueValidation(
  config: FinksConfig,
  request: GlueValidation,
  clients: { s3?: S3Client } = {},
  options: GlueStepOptions = {},
): Promise<DriftReport> {
  const env = parseEnv(config.env);
  const bucket = (zone: 'bronze' | 'artifacts') =>
    bucketName({ env, zone, accountId: config.accountId });
  const { source, dataset } = findContractById(request.dataset);
  const reportKey = driftReportKey({ source, dataset, runId: request.runId });
  const where = `s3://${bucket('artifacts')}/${reportKey}`;
  const jobName = pipelinesGlueJobName(finksEnv(config), 'validate_schemas');
  const subject = glueRunSubject(request.dataset, request.dates);
  const { runId } = await runGlueJob(
    {
      jobName,
      correlationId: request.correlationId,
      subject,
      arguments: {
        dataset: request.dataset,
        dates: request.dates.join(','),
        run_id: request.runId,
        contracts: contractsUri(config),
        bronze_root: `s3://${bucket('bronze')}/`,
        report: where,
      },
    },
    { config, ...options },
  );
  const s3 = clients.s3 ?? s3ClientFor(config);
  const object = await s3
    .send(new GetObjectCommand({ Bucket: bucket('artifacts'), Key: reportKey }))
    .catch((error: unknown) => {
      if ((error as { name?: string }).name !== 'NoSuchKey') {
        const what = `Reading the drift report ${where} of run ${runId}`;
        throw new GlueStepError(jobName, what, subject, error);
      }
      throw new Error(
        `the ${jobName} run ${runId} (${subject}) succeeded but stored no report at ${where}; ` +
          'check that the Glue job runs the validate_schemas.py of this checkout (deploy the ' +
          'infrastructure stack)',
        { cause: error },
      );
    });
  const text = await object.Body?.transformToString();
  try {
    return parseDriftReport(text ?? '', where);
  } catch (error) {
    throw new GlueStepError(jobName, `Reading the drift report of run ${runId}`, subject, error);
  }
}

export interface StreamSupervision {
  readonly staleAfterSeconds: number;
  readonly correlationId: string;
}

/** Newest bronze news manifest among the partitions of the last two UTC days. */
async function lastNewsBatch(config: FinksConfig, s3: S3Client): Promise<Date | null> {
  const env = parseEnv(config.env);
  const Bucket = bucketName({ env, zone: 'bronze', accountId: config.accountId });
  let newest: Date | null = null;
  for (const daysAgo of [0, 1]) {
    const day = new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    const Prefix = `${bronzeDatasetPrefix({ source: 'fmp', dataset: 'news' })}dt=${day}/`;
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (
          object.Key?.endsWith('/_manifest.json') &&
          object.LastModified &&
          (!newest || object.LastModified > newest)
        ) {
          newest = object.LastModified;
        }
      }
      token = page.NextContinuationToken;
    } while (token);
  }
  return newest;
}

/**
 * The news-stream runs as one long ECS task of its workload. Not running: start it. Running but
 * no news batch landed within the stale period (after its first period): stop it and start a
 * new one. The start does not wait for the task to end — it is meant to run until stopped.
 */
export async function superviseNewsStreamService(
  config: FinksConfig,
  request: StreamSupervision,
  clients: { ecs?: ECSClient; s3?: S3Client } = {},
): Promise<SupervisionResult> {
  const target = ecsTargetFor('newsStream', finksEnv(config));
  const ecs = clients.ecs ?? new ECSClient(awsClientConfig({ config }));
  const s3 = clients.s3 ?? s3ClientFor(config);
  const staleMs = request.staleAfterSeconds * 1000;
  const lastBatchAt = await lastNewsBatch(config, s3);
  const iso = lastBatchAt?.toISOString() ?? null;

  const listed = await ecs.send(
    new ListTasksCommand({
      cluster: target.cluster,
      family: target.taskDefinition,
      desiredStatus: 'RUNNING',
    }),
  );
  const arns = listed.taskArns ?? [];
  // Started, not waited for: the connector runs until the next restart.
  const start = async (): Promise<string> => {
    const started = await startEcsTask(
      {
        workload: 'newsStream',
        env: finksEnv(config),
        correlationId: request.correlationId,
        command: ['--lake=s3', `--correlation-id=${request.correlationId}`],
        network: ecsNetworkFromEnv(),
      },
      { config, ecs },
    );
    return started.taskArn;
  };
  if (arns.length === 0) {
    const taskArn = await start();
    return { action: 'started', reason: 'no news-stream task running', lastBatchAt: iso, taskArn };
  }
  const described = await ecs.send(
    new DescribeTasksCommand({ cluster: target.cluster, tasks: arns }),
  );
  const startedAt = Math.min(
    ...(described.tasks ?? []).map((t) => t.startedAt?.getTime() ?? Date.now()),
  );
  const stale =
    (lastBatchAt === null || Date.now() - lastBatchAt.getTime() > staleMs) &&
    Date.now() - startedAt > staleMs;
  if (!stale) return { action: 'healthy', reason: 'running and fresh', lastBatchAt: iso };
  for (const task of arns) {
    await ecs.send(
      new StopTaskCommand({
        cluster: target.cluster,
        task,
        reason: `finks watchdog: no news batch in ${request.staleAfterSeconds} s`,
      }),
    );
  }
  const taskArn = await start();
  return {
    taskArn,
    action: 'restarted',
    reason: `stalled: no news batch in ${request.staleAfterSeconds} s`,
    lastBatchAt: iso,
  };
}

/** Path-style addressing against an endpoint override (moto locally), virtual-hosted in AWS. */
function s3ClientFor(config: FinksConfig): S3Client {
  return new S3Client({
    ...awsClientConfig({ config }),
    forcePathStyle: !!process.env['AWS_ENDPOINT_URL'],
  });
}
