// The flows in an AWS environment (config dev), against moto: ingestion and dbt run as ECS tasks
// of the workloads infrastructure defines, bronze → silver as one Glue job run per dataset (the
// scheduled dbt-build's runs before its build), and the news-stream watchdog starts its task. What
// each sends is read back from moto: the command override, the correlation id, the Glue arguments.
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateJobCommand,
  GlueClient,
  paginateGetJobRuns,
  type JobRun,
} from '@aws-sdk/client-glue';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { loadConfig } from '@finks/config';
import { driftReportKey } from '@finks/lake-paths';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecsTargetFor, pipelinesGlueJobName } from '../../src/aws';
import { runGlueValidation } from '../../src/flows/aws-steps';
import { defaultSubnetId } from '../aws/moto-fixtures';
import { ingestionFmpFlow } from '../../src/flows/ingestion/fmp';
import { ingestionStreamingFlow } from '../../src/flows/ingestion/streaming';
import { bronzeToSilverFlow } from '../../src/flows/transformation/bronze-to-silver';
import { silverToGoldFlow } from '../../src/flows/transformation/silver-to-gold';
import { CONTRACT_IDS } from '../../src/flows/transformation/dataset-parameters';
import { validateSchemasFlow } from '../../src/flows/transformation/validate-schemas';
import { catchUpDates } from '../../src/transformation/bronze-to-silver/catch-up-window';
import type { DriftReport } from '../../src/transformation/schema-drift/drift-report';
import { SchemaDriftError } from '../../src/transformation/schema-drift/schema-drift-error';

const config = loadConfig({ env: 'dev' });
const region = config.region;
const ecs = new ECSClient({ region });
const glue = new GlueClient({ region });
const s3 = new S3Client({ region, forcePathStyle: true });
const correlationId = `aws-flows-${Date.now().toString(36)}`;
const saved = { ...process.env };
const ARTIFACTS = 'finks-dev-artifacts-111111111111';

async function stopRunning(family: string, cluster: string): Promise<void> {
  const { taskArns = [] } = await ecs.send(
    new ListTasksCommand({ cluster, family, desiredStatus: 'RUNNING' }),
  );
  for (const task of taskArns)
    await ecs.send(new StopTaskCommand({ cluster, task, reason: 'test set-up' }));
}

/**
 * Every run of a Glue job: moto keeps them across test runs, and one page (GetJobRuns' first)
 * soon no longer holds this run's.
 */
async function jobRuns(script: 'cleanse_market_data' | 'validate_schemas'): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  const pages = paginateGetJobRuns(
    { client: glue },
    { JobName: pipelinesGlueJobName('dev', script) },
  );
  for await (const page of pages) runs.push(...(page.JobRuns ?? []));
  return runs;
}

/** The newest task of a family, with its overrides. */
async function lastTask(family: string, cluster: string, runId = correlationId) {
  const arns = [
    ...((await ecs.send(new ListTasksCommand({ cluster, family, desiredStatus: 'STOPPED' })))
      .taskArns ?? []),
    ...((await ecs.send(new ListTasksCommand({ cluster, family, desiredStatus: 'RUNNING' })))
      .taskArns ?? []),
  ];
  const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }));
  return tasks
    .filter((t) =>
      t.overrides?.containerOverrides?.[0]?.environment?.some((e) => e.value === runId),
    )
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
}

beforeAll(async () => {
  process.env['FINKS_ECS_SUBNETS'] = await defaultSubnetId();
  process.env['FINKS_ECS_SECURITY_GROUPS'] = 'sg-0123456789abcdef0';
  delete process.env['FMP_API_KEY'];
  const cluster = ecsTargetFor('ingestionFmp', 'dev').cluster;
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  for (const workload of ['ingestionFmp', 'dbtRunner', 'newsStream'] as const) {
    const target = ecsTargetFor(workload, 'dev');
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: target.taskDefinition,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: target.container, image: 'finks/test:1', essential: true, memory: 512 },
        ],
      }),
    );
    await stopRunning(target.taskDefinition, cluster);
  }
  for (const script of ['cleanse_market_data', 'validate_schemas']) {
    await glue
      .send(
        new CreateJobCommand({
          Name: pipelinesGlueJobName('dev', script),
          Role: 'arn:aws:iam::123456789012:role/glue',
          Command: { Name: 'glueetl', ScriptLocation: `s3://artifacts/glue-scripts/${script}.py` },
          ExecutionProperty: { MaxConcurrentRuns: 20 },
        }),
      )
      .catch((error: Error) => {
        if (!/already exists/i.test(error.message)) throw error;
      });
  }
  for (const Bucket of ['finks-dev-bronze-111111111111', ARTIFACTS]) {
    await s3
      .send(
        new CreateBucketCommand({
          Bucket,
          CreateBucketConfiguration: { LocationConstraint: region as 'ca-central-1' },
        }),
      )
      .catch(() => undefined);
  }
}, 60_000);

afterAll(() => {
  process.env = saved;
});

describe('flows in an AWS environment (moto)', () => {
  it('ingestion-fmp and silver-to-gold run their apps as ECS tasks, flags only after the image entry point', async () => {
    const [fmp, gold] = await Promise.all([
      ingestionFmpFlow({
        env: 'dev',
        symbols: ['AAPL', 'MSFT'],
        datasets: ['eod_prices'],
        correlationId,
      }),
      silverToGoldFlow({ env: 'dev', correlationId }),
    ]);
    expect(fmp.summaries[0]).toMatchObject({ taskArn: expect.stringMatching(/^arn:aws:ecs:/) });
    expect(gold.exitCode).toBe(0);

    const cluster = ecsTargetFor('ingestionFmp', 'dev').cluster;
    const fmpTask = await lastTask('finks-dev-ingestion-fmp', cluster);
    const override = fmpTask?.overrides?.containerOverrides?.[0];
    expect(override?.name).toBe('fmp');
    expect(override?.command).toEqual([
      '--symbols=AAPL,MSFT',
      '--datasets=eod_prices',
      `--correlation-id=${correlationId}`,
      '--lake=s3',
    ]);
    // The key is the task's secret (Secrets Manager), never an override.
    expect(override?.environment?.map((e) => e.name)).not.toContain('FMP_API_KEY');
    expect(fmpTask?.overrides?.cpu).toBe(String(config.ecs.ingestionFmp.cpu));

    const dbtTask = await lastTask('finks-dev-dbt-runner-dbt', cluster);
    expect(dbtTask?.overrides?.containerOverrides?.[0]?.command).toEqual([
      'build',
      '--env=dev',
      `--correlation-id=${correlationId}`,
      '--exclude=test_type:unit',
      // The env's whole build: its manifest is what slim CI's --state-env compares with.
      '--publish-latest',
      '--json',
    ]);

    // A build that asks for the unit tests too (they run in CI by default, not on the data).
    const unitRun = `${correlationId}-unit`;
    await silverToGoldFlow({ env: 'dev', correlationId: unitRun, unitTests: true });
    const withUnitTests = await lastTask('finks-dev-dbt-runner-dbt', cluster, unitRun);
    expect(withUnitTests).toBeDefined();
    expect(withUnitTests?.overrides?.containerOverrides?.[0]?.command).not.toContain(
      '--exclude=test_type:unit',
    );
  }, 180_000);

  it('bronze-to-silver starts one Glue job run per dataset, with the correlation id and the lake roots', async () => {
    const results = await bronzeToSilverFlow({
      env: 'dev',
      datasets: ['fmp.eod_prices', 'mongodb.transactions'],
      dates: ['2026-11-24', '2026-11-25'],
      correlationId,
      batches: 'pending',
    });
    expect(results).toHaveLength(2);
    const runs = await jobRuns('cleanse_market_data');
    const ours = runs.filter((run) => run.Arguments?.['--correlation_id'] === correlationId);
    expect(ours.map((run) => run.Arguments?.['--dataset']).sort()).toEqual([
      'fmp.eod_prices',
      'mongodb.transactions',
    ]);
    for (const run of ours) {
      expect(run.Arguments).toMatchObject({
        '--dates': '2026-11-24,2026-11-25',
        '--bronze_root': 's3://finks-dev-bronze-111111111111/',
        '--silver_root': 's3://finks-dev-silver-111111111111/',
        '--contracts': 's3://finks-dev-artifacts-111111111111/glue-scripts/contracts.json',
        '--batches': 'pending',
      });
      expect(run.Arguments?.['--run_id']).toMatch(/^\d{8}T\d{6}Z-[a-z0-9]{6}$/);
    }
  }, 180_000);

  it('the scheduled dbt-build cleanses the catch-up window of every dataset, and builds', async () => {
    const buildRun = `${correlationId}-build`;
    const window = catchUpDates(new Date()).join(',');
    // The dbt-build deployment's parameters (src/deploy/plan.ts).
    await silverToGoldFlow({ env: 'dev', correlationId: buildRun, cleansePendingFirst: true });
    const runs = await jobRuns('cleanse_market_data');
    const cleansings = runs.filter((run) => run.Arguments?.['--correlation_id'] === buildRun);
    expect(cleansings.map((run) => run.Arguments?.['--dataset']).sort()).toEqual(
      [...CONTRACT_IDS].sort(),
    );
    for (const run of cleansings) {
      expect(run.Arguments).toMatchObject({ '--batches': 'pending', '--dates': window });
      expect(run.JobRunState).toBe('SUCCEEDED');
    }
    // moto's tasks carry no times; that dbt waits for the cleansing (and does not start when it
    // fails) is silver-to-gold-flow.test.ts's.
    const build = await lastTask(
      'finks-dev-dbt-runner-dbt',
      ecsTargetFor('dbtRunner', 'dev').cluster,
      buildRun,
    );
    expect(build?.overrides?.containerOverrides?.[0]?.command?.slice(0, 2)).toEqual([
      'build',
      '--env=dev',
    ]);
  }, 180_000);

  it('validate-schemas runs the Glue job per dataset with a report key, reads the reports back and fails on drift', async () => {
    const checkRun = `20261126T020000Z-${Date.now().toString(36).slice(-6)}`;
    const report = (dataset: string, drift: boolean): DriftReport => ({
      dataset,
      run_id: checkRun,
      dates: ['2026-11-25'],
      bronze_parts: 2,
      records: 40,
      unreadable_records: 0,
      unknown_fields: drift ? [{ field: 'adjClose', records: 40 }] : [],
      missing_required_fields: [],
      type_changes: [],
      drift,
    });
    const keyOf = (dataset: string) => {
      const [source = '', name = ''] = dataset.split('.');
      return driftReportKey({ source, dataset: name, runId: checkRun });
    };
    // moto runs no script: the reports stand in for what validate_schemas.py stores at --report.
    const stored = [report('fmp.eod_prices', true), report('fmp.quotes', false)];
    for (const r of stored) {
      await s3.send(
        new PutObjectCommand({ Bucket: ARTIFACTS, Key: keyOf(r.dataset), Body: JSON.stringify(r) }),
      );
    }
    const params = {
      env: 'dev',
      datasets: ['fmp.eod_prices', 'fmp.quotes'],
      dates: ['2026-11-25'],
      runId: checkRun,
      correlationId,
    };

    expect(await validateSchemasFlow({ ...params, failOnDrift: false })).toEqual(stored);
    const runs = await jobRuns('validate_schemas');
    const ours = runs.filter((run) => run.Arguments?.['--run_id'] === checkRun);
    expect(ours.map((run) => run.Arguments?.['--dataset']).sort()).toEqual(params.datasets);
    for (const run of ours) {
      expect(run.Arguments).toMatchObject({
        '--dates': '2026-11-25',
        '--correlation_id': correlationId,
        '--bronze_root': 's3://finks-dev-bronze-111111111111/',
        '--contracts': `s3://${ARTIFACTS}/glue-scripts/contracts.json`,
        '--report': `s3://${ARTIFACTS}/${keyOf(run.Arguments?.['--dataset'] ?? '')}`,
      });
    }

    await expect(validateSchemasFlow(params)).rejects.toThrow(SchemaDriftError);

    // A report that is not one is named, not half read (the step itself: the flow's task
    // would retry the job first).
    await s3.send(
      new PutObjectCommand({ Bucket: ARTIFACTS, Key: keyOf('fmp.quotes'), Body: '{"dataset": 1}' }),
    );
    await expect(
      runGlueValidation(config, {
        dataset: 'fmp.quotes',
        dates: ['2026-11-25'],
        runId: checkRun,
        correlationId,
      }),
    ).rejects.toThrow(
      `drift report s3://${ARTIFACTS}/${keyOf('fmp.quotes')} is not a validate_schemas.py report: dataset`,
    );
    // A job that stored nothing (an older script) is named, with where the report should be.
    await expect(
      runGlueValidation(config, {
        dataset: 'fmp.news',
        dates: ['2026-11-25'],
        runId: checkRun,
        correlationId,
      }),
    ).rejects.toThrow(
      `succeeded but stored no report at s3://${ARTIFACTS}/${keyOf('fmp.news')}; check that the Glue job`,
    );
  }, 180_000);

  it('the news-stream watchdog starts the stream task, then leaves a fresh one alone', async () => {
    const first = await ingestionStreamingFlow({ env: 'dev', correlationId });
    expect(first.action).toBe('started');
    expect(first.taskArn).toMatch(/^arn:aws:ecs:/);
    const second = await ingestionStreamingFlow({ env: 'dev', correlationId });
    expect(second).toMatchObject({ action: 'healthy' });

    const target = ecsTargetFor('newsStream', 'dev');
    const task = await lastTask(target.taskDefinition, target.cluster);
    expect(task?.taskArn).toBe(first.taskArn);
    expect(task?.overrides?.containerOverrides?.[0]?.command).toEqual([
      '--lake=s3',
      `--correlation-id=${correlationId}`,
    ]);
    await stopRunning(target.taskDefinition, target.cluster);
  }, 120_000);
});
