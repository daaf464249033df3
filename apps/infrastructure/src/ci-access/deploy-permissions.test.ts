import { describe, expect, it } from 'vitest';
import { APPS } from '@finks/iam-names';
import { isStarOnStar } from '../../policies/finks-policies';
import { ACCOUNT_ID, KMS_KEY_ARN, REGION, lakeBuckets } from '../testing/component-fixtures';
import { deployStatements, deploySubject } from './deploy-permissions';

const context = {
  env: 'prod' as const,
  region: REGION,
  accountId: ACCOUNT_ID,
  buckets: lakeBuckets('prod'),
  kmsKeyArn: KMS_KEY_ARN,
};

describe('deploySubject', () => {
  it('limits the trust to this repository and the GitHub environment of the stack', () => {
    expect(deploySubject('finks-ai/finks', 'prod')).toBe('repo:finks-ai/finks:environment:prod');
  });
});

describe('deployStatements', () => {
  it('never grants "*" on "*" to any app', () => {
    for (const app of APPS) {
      expect(deployStatements(app, context).filter(isStarOnStar), app).toEqual([]);
    }
  });

  it('lets app deploys push only to their own ECR namespace and pass only their own roles', () => {
    const ingestion = deployStatements('ingestion', context);
    expect(ingestion.find((statement) => statement.Sid === 'PushOwnImages')?.Resource).toBe(
      `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/finks/prod/ingestion/*`,
    );
    expect(ingestion.find((statement) => statement.Sid === 'PassOwnTaskRoles')?.Resource).toBe(
      `arn:aws:iam::${ACCOUNT_ID}:role/finks-prod-ingestion-*`,
    );
  });

  it('lets the pipelines deploy write only the Glue scripts prefix', () => {
    const [upload] = deployStatements('pipelines', context);
    expect(upload?.Resource).toBe(`arn:aws:s3:::finks-prod-artifacts-${ACCOUNT_ID}/glue-scripts/*`);
  });

  it('adds the Pulumi state bucket to the infrastructure deploy only when given', () => {
    expect(deployStatements('infrastructure', context)).toHaveLength(1);
    expect(
      deployStatements('infrastructure', { ...context, stateBucket: 'finks-pulumi-state' }),
    ).toHaveLength(2);
  });
});
