import { describe, expect, it } from 'vitest';
import { athenaWorkgroupName, glueDatabaseName, glueSnapshotsDatabaseName } from '@finks/iam-names';
import { bookmarkKey, bookmarkPrefix, driftReportKey, runId } from '@finks/lake-paths';
import { isStarOnStar } from '../../policies/finks-policies';
import type { Statement } from '../common/policy-document';
import { WORKLOADS } from '../common/workloads';
import { ACCOUNT_ID, KMS_KEY_ARN, REGION, lakeBuckets } from '../testing/component-fixtures';
import { taskRoleStatements, type PermissionContext } from './task-permissions';

const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/finks-dev-infrastructure-platform`;
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:finks-dev-infrastructure-alerts`;
const SLACK_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:finks/dev/slack-AbC123`;
/** An environment without an alert topic (`alerts.snsTopic: false`). */
const withoutTopic: PermissionContext = {
  env: 'dev',
  region: REGION,
  accountId: ACCOUNT_ID,
  buckets: lakeBuckets('dev'),
  kmsKeyArn: KMS_KEY_ARN,
  glueJobNames: ['finks-dev-pipelines-cleanse-market-data'],
  athenaWorkgroup: 'finks-dev-infrastructure-analytics',
  dbtAthenaWorkgroup: athenaWorkgroupName({ app: 'dbt-runner', env: 'dev', component: 'dbt' }),
  clusterName: 'finks-dev-infrastructure-platform',
  clusterArn: CLUSTER_ARN,
  runnableTaskFamilies: ['finks-dev-ingestion-fmp', 'finks-dev-dbt-runner-dbt'],
  passableRoleArns: [`arn:aws:iam::${ACCOUNT_ID}:role/finks-dev-ingestion-fmp-task`],
  runnableLogGroups: ['/finks/dev/ingestion/fmp', '/finks/dev/dbt-runner/dbt'],
  slackWebhookSecretArn: SLACK_ARN,
};
const context: PermissionContext = { ...withoutTopic, alertTopicArn: TOPIC_ARN };
const statementsOf = (key: string, over: PermissionContext = context) => {
  const workload = WORKLOADS.find((item) => item.key === key);
  if (!workload) throw new Error(key);
  return taskRoleStatements(workload, over);
};
const resources = (key: string) =>
  statementsOf(key).flatMap((statement) => [statement.Resource ?? []].flat());
const actions = (statement: Statement | undefined) => [statement?.Action ?? []].flat();

/** The statement that allows `action` on `resource` ("*" matches any run of characters). */
function allowing(statements: readonly Statement[], action: string, resource: string) {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const matches = (pattern: string, value: string) =>
    new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`).test(value);
  return statements.find(
    (statement) =>
      statement.Effect === 'Allow' &&
      actions(statement).some((item) => matches(item, action)) &&
      [statement.Resource ?? []].flat().some((item) => matches(String(item), resource)),
  );
}

describe('taskRoleStatements', () => {
  it('gives no task "*" on "*"', () => {
    for (const workload of WORKLOADS)
      expect(taskRoleStatements(workload, context).filter(isStarOnStar)).toEqual([]);
  });

  it('lets a connector write only its own source in bronze and quarantine', () => {
    const written = resources('ingestionFmp').filter((arn) => String(arn).includes('source='));
    expect(written).toEqual([
      `arn:aws:s3:::finks-dev-bronze-${ACCOUNT_ID}/source=fmp/*`,
      `arn:aws:s3:::finks-dev-quarantine-${ACCOUNT_ID}/source=fmp/*`,
    ]);
    expect(resources('ingestionMongodb')).toContain(
      `arn:aws:s3:::finks-dev-bronze-${ACCOUNT_ID}/source=mongodb/*`,
    );
    expect(resources('ingestionMongodb').join(' ')).not.toContain('source=fmp');
  });

  it('keeps connectors out of silver and gold, and dbt out of bronze', () => {
    for (const key of ['ingestionFmp', 'ingestionMongodb', 'newsStream']) {
      expect(resources(key).join(' ')).not.toMatch(/silver|gold/);
    }
    expect(resources('dbtRunner').join(' ')).not.toContain('bronze');
  });

  it('gives the Prefect server no AWS permissions', () => {
    expect(statementsOf('prefectServer')).toEqual([]);
  });
});

const ARTIFACTS_BUCKET = `arn:aws:s3:::finks-dev-artifacts-${ACCOUNT_ID}`;
const artifact = (key: string) => `${ARTIFACTS_BUCKET}/${key}`;

describe.each([
  ['ingestionFmp', { source: 'fmp', dataset: 'eod_prices' }],
  ['ingestionMongodb', { source: 'mongodb', dataset: 'transactions' }],
  ['newsStream', { source: 'fmp', dataset: 'news' }],
] as const)('the %s task role (its bookmarks)', (key, dataset) => {
  const statements = statementsOf(key);
  const pending = artifact(bookmarkKey({ ...dataset, name: 'pending-run' }));

  it('reads, writes and deletes the pending-run file that RunState.recover/complete use', () => {
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
      expect(allowing(statements, action, pending), action).toBeDefined();
    }
  });

  it('may list the artifacts bucket unconditioned, so a missing bookmark is a 404, not a 403', () => {
    const list = allowing(statements, 's3:ListBucket', ARTIFACTS_BUCKET);
    expect(list).toBeDefined();
    expect(list?.Condition).toBeUndefined();
  });

  it('deletes nothing outside the bookmarks', () => {
    const deletable = statements
      .filter((statement) => actions(statement).includes('s3:DeleteObject'))
      .flatMap((statement) => [statement.Resource].flat());
    expect(deletable).toEqual([artifact('bookmarks/*')]);
  });
});

describe('the news-stream task role (its write-ahead log)', () => {
  const statements = statementsOf('newsStream');
  const segment = artifact(
    bookmarkKey({ source: 'fmp', dataset: 'news', name: 'stream-wal-000000000001' }),
  );

  it('lists, reads and drops its segments and clears its pending batch', () => {
    expect(bookmarkPrefix({ source: 'fmp', dataset: 'news' })).toMatch(/^bookmarks\//);
    expect(allowing(statements, 's3:ListBucket', ARTIFACTS_BUCKET)).toBeDefined();
    expect(allowing(statements, 's3:GetObject', segment)).toBeDefined();
    expect(allowing(statements, 's3:DeleteObject', segment)).toBeDefined();
    const pending = bookmarkKey({ source: 'fmp', dataset: 'news', name: 'stream-pending-batch' });
    expect(allowing(statements, 's3:DeleteObject', artifact(pending))).toBeDefined();
  });
});

describe('the dbt-runner task role', () => {
  const dbt = statementsOf('dbtRunner');
  const glue = (resource: string) => `arn:aws:glue:${REGION}:${ACCOUNT_ID}:${resource}`;
  const gold = glueDatabaseName({ env: 'dev', zone: 'gold' });
  const snapshots = glueSnapshotsDatabaseName({ env: 'dev' });

  it('queries through the workgroup dbt-runner names, and through no other', () => {
    const workgroups = dbt
      .filter((statement) => actions(statement).some((action) => action.startsWith('athena:')))
      .flatMap((statement) => [statement.Resource].flat());
    expect(workgroups).toEqual([
      `arn:aws:athena:${REGION}:${ACCOUNT_ID}:workgroup/${athenaWorkgroupName({ app: 'dbt-runner', env: 'dev', component: 'dbt' })}`,
    ]);
  });

  it('may expire the Glue versions of the views and tables it builds', () => {
    for (const database of [gold, snapshots]) {
      for (const action of ['glue:GetTableVersions', 'glue:DeleteTableVersion']) {
        expect(
          allowing(dbt, action, glue(`table/${database}/stg_fmp__quotes`)),
          action,
        ).toBeDefined();
      }
    }
    expect(allowing(dbt, 'glue:GetTableVersions', glue('table/finks_dev_silver/quotes'))).toBe(
      undefined,
    );
  });

  it('reads and builds the snapshots database as it does gold', () => {
    const table = glue(`table/${snapshots}/company_profiles_snapshot`);
    for (const action of [
      'glue:GetDatabase',
      'glue:GetTables',
      'glue:GetTable',
      'glue:GetPartitions',
      'glue:CreateTable',
      'glue:UpdateTable',
      'glue:DeleteTable',
    ]) {
      const resource = action === 'glue:GetDatabase' ? glue(`database/${snapshots}`) : table;
      expect(allowing(dbt, action, resource), action).toBeDefined();
    }
    expect(allowing(dbt, 'glue:CreateDatabase', glue(`database/${snapshots}`))).toBeUndefined();
  });

  it('may list the artifacts bucket, so a missing --state-env manifest reads as missing', () => {
    const list = allowing(dbt, 's3:ListBucket', ARTIFACTS_BUCKET);
    expect(list).toBeDefined();
    expect(list?.Condition).toBeUndefined();
    expect(allowing(dbt, 's3:GetObject', artifact('dbt/prod/latest/manifest.json'))).toBeDefined();
  });
});

describe('the worker task role (what the pipelines flows call)', () => {
  const worker = statementsOf('worker');
  const task = `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task/finks-dev-infrastructure-platform/0a1b2c`;
  const family = (name: string) => `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task-definition/${name}:7`;

  it('runs, watches, lists and stops the on-demand tasks on the platform cluster only', () => {
    const run = allowing(worker, 'ecs:RunTask', family('finks-dev-ingestion-fmp'));
    expect(run?.Condition).toEqual({ ArnEquals: { 'ecs:cluster': CLUSTER_ARN } });
    expect(allowing(worker, 'ecs:RunTask', family('finks-dev-dbt-runner-dbt'))).toBeDefined();
    expect(allowing(worker, 'ecs:RunTask', family('finks-dev-pipelines-worker'))).toBeUndefined();
    for (const action of ['ecs:DescribeTasks', 'ecs:StopTask']) {
      expect(allowing(worker, action, task)?.Condition, action).toEqual(run?.Condition);
    }
    const otherCluster = `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task/someone-else/0a1b2c`;
    expect(allowing(worker, 'ecs:StopTask', otherCluster)).toBeUndefined();
    expect(allowing(worker, 'ecs:ListTasks', '*')?.Condition).toEqual(run?.Condition);
  });

  it('passes only the roles of the tasks it runs, and only to ECS tasks', () => {
    const pass = worker.find((statement) => statement.Sid === 'PassTaskRoles');
    expect(pass?.Resource).toEqual(context.passableRoleArns);
    expect(pass?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
  });

  it("reads the log events of the tasks' own log groups only", () => {
    const stream = (group: string) =>
      `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${group}:log-stream:fmp/fmp/0a1b2c`;
    expect(allowing(worker, 'logs:GetLogEvents', stream('/finks/dev/ingestion/fmp'))).toBeDefined();
    expect(allowing(worker, 'logs:GetLogEvents', stream('/finks/dev/pipelines/worker'))).toBe(
      undefined,
    );
  });

  it('runs and stops the pipelines Glue jobs', () => {
    const job = `arn:aws:glue:${REGION}:${ACCOUNT_ID}:job/finks-dev-pipelines-cleanse-market-data`;
    for (const action of [
      'glue:StartJobRun',
      'glue:GetJobRun',
      'glue:GetJobRuns',
      'glue:BatchStopJobRun',
    ]) {
      expect(allowing(worker, action, job), action).toBeDefined();
    }
  });

  it('lists the bronze news manifests and reads the drift reports, and no lake data', () => {
    const list = allowing(worker, 's3:ListBucket', `arn:aws:s3:::finks-dev-bronze-${ACCOUNT_ID}`);
    expect(list?.Condition).toEqual({
      StringLike: { 's3:prefix': 'source=fmp/dataset=news/*' },
    });
    const artifacts = `arn:aws:s3:::finks-dev-artifacts-${ACCOUNT_ID}`;
    expect(allowing(worker, 's3:GetObject', `${artifacts}/drift-reports/*`)).toBeDefined();
    expect(worker.flatMap(actions).filter((action) => action.startsWith('s3:'))).toEqual([
      's3:ListBucket',
      's3:GetObject',
      's3:ListBucket',
    ]);
    const reads = worker
      .filter((statement) => actions(statement).includes('s3:GetObject'))
      .flatMap((statement) => [statement.Resource].flat());
    expect(reads).toEqual([`${artifacts}/drift-reports/*`]);
  });

  it('may list the artifacts bucket, so a report the Glue job did not store is a NoSuchKey', () => {
    const report = driftReportKey({
      source: 'fmp',
      dataset: 'quotes',
      runId: runId(new Date('2025-01-02T03:04:05Z')),
    });
    expect(allowing(worker, 's3:GetObject', artifact(report))).toBeDefined();
    const list = allowing(worker, 's3:ListBucket', ARTIFACTS_BUCKET);
    expect(list).toBeDefined();
    expect(list?.Condition).toBeUndefined();
  });

  it('reads the Slack webhook and publishes to the alert topic, with the lake key', () => {
    expect(allowing(worker, 'secretsmanager:GetSecretValue', SLACK_ARN)).toBeDefined();
    expect(allowing(worker, 'sns:Publish', TOPIC_ARN)).toBeDefined();
    expect(actions(allowing(worker, 'kms:GenerateDataKey', KMS_KEY_ARN))).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
    ]);
  });

  it('has no SNS permission when the environment has no alert topic', () => {
    const quiet = statementsOf('worker', withoutTopic);
    expect(quiet.flatMap(actions).filter((action) => action.startsWith('sns:'))).toEqual([]);
    expect(allowing(quiet, 'kms:GenerateDataKey', KMS_KEY_ARN)).toBeUndefined();
    expect(allowing(quiet, 'kms:Decrypt', KMS_KEY_ARN)).toBeDefined();
  });
});
