import { describe, expect, it } from 'vitest';
import { isStarOnStar } from '../../policies/finks-policies';
import { WORKLOADS } from '../common/workloads';
import { ACCOUNT_ID, KMS_KEY_ARN, REGION, lakeBuckets } from '../testing/component-fixtures';
import { taskRoleStatements, type PermissionContext } from './task-permissions';

const context: PermissionContext = {
  env: 'dev',
  region: REGION,
  accountId: ACCOUNT_ID,
  buckets: lakeBuckets('dev'),
  kmsKeyArn: KMS_KEY_ARN,
  glueJobNames: ['finks-dev-pipelines-cleanse-market-data'],
  athenaWorkgroup: 'finks-dev-infrastructure-analytics',
  runnableTaskFamilies: ['finks-dev-ingestion-fmp'],
  passableRoleArns: [`arn:aws:iam::${ACCOUNT_ID}:role/finks-dev-ingestion-fmp-task`],
  clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/finks-dev-infrastructure-platform`,
};
const statementsOf = (key: string) => {
  const workload = WORKLOADS.find((item) => item.key === key);
  if (!workload) throw new Error(key);
  return taskRoleStatements(workload, context);
};
const resources = (key: string) =>
  statementsOf(key).flatMap((statement) => [statement.Resource ?? []].flat());

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

  it('lets the worker pass only the roles of the tasks it runs', () => {
    const pass = statementsOf('worker').find((statement) => statement.Sid === 'PassTaskRoles');
    expect(pass?.Resource).toEqual(context.passableRoleArns);
  });

  it('gives the Prefect server no AWS permissions', () => {
    expect(statementsOf('prefectServer')).toEqual([]);
  });
});
