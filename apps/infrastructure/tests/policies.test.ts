import { describe, expect, it } from 'vitest';
import {
  bucketsEncryptedAndBlocked,
  deletionProtectionInProd,
  encryptionAtRest,
  logRetentionSet,
  noAdminWorkloadRole,
  noAdminWorkloadRoleInStack,
  noIamStarOnStar,
  noPublicRds,
  noPublicS3,
  requiredTags,
} from '../policies/finks-policies';
import { policyResource, stackViolations, violations } from '../src/testing/policy-harness';

const TAGS = { env: 'prod', project: 'finks', owner: 'platform', 'cost-center': 'data' };
const ecsTrust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: 'sts:AssumeRole',
    },
  ],
});
const starOnStar = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

describe('encryption-at-rest', () => {
  it.each([
    [
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      { bucket: 'b', rules: [] },
    ],
    ['aws:rds/instance:Instance', { storageEncrypted: false }],
    ['aws:rds/cluster:Cluster', {}],
    ['aws:ebs/volume:Volume', { encrypted: false }],
    ['aws:sns/topic:Topic', {}],
    ['aws:secretsmanager/secret:Secret', { name: 'finks/dev/x' }],
    [
      'aws:athena/workgroup:Workgroup',
      { configuration: { resultConfiguration: { outputLocation: 's3://x/' } } },
    ],
    ['aws:glue/job:Job', { name: 'j' }],
    ['aws:dynamodb/table:Table', {}],
  ])('flags an unencrypted %s', async (type, props) => {
    expect(await violations(encryptionAtRest, type, props)).not.toEqual([]);
  });

  it('accepts KMS and SSE-S3 bucket encryption and an encrypted database', async () => {
    const sse =
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration';
    for (const sseAlgorithm of ['aws:kms', 'AES256']) {
      expect(
        await violations(encryptionAtRest, sse, {
          rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm } }],
        }),
      ).toEqual([]);
    }
    expect(
      await violations(encryptionAtRest, 'aws:rds/instance:Instance', { storageEncrypted: true }),
    ).toEqual([]);
  });
});

describe('no-public-s3 and s3-buckets-encrypted-and-blocked', () => {
  it('flags a public access block with a flag off', async () => {
    const found = await violations(
      noPublicS3,
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
      {
        blockPublicAcls: true,
        blockPublicPolicy: false,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
    );
    expect(found).toEqual(['the public access block must set blockPublicPolicy: true']);
  });

  it('flags a public-read ACL and a policy open to anyone', async () => {
    expect(
      await violations(noPublicS3, 'aws:s3/bucketAcl:BucketAcl', { acl: 'public-read' }),
    ).toHaveLength(1);
    const open = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
      ],
    });
    expect(
      await violations(noPublicS3, 'aws:s3/bucketPolicy:BucketPolicy', { policy: open }),
    ).toHaveLength(1);
    const denyOnly = JSON.stringify({
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }],
    });
    expect(
      await violations(noPublicS3, 'aws:s3/bucketPolicy:BucketPolicy', { policy: denyOnly }),
    ).toEqual([]);
  });

  it('flags a bucket without encryption configuration or public access block', async () => {
    const found = await stackViolations(bucketsEncryptedAndBlocked, [
      policyResource('aws:s3/bucket:Bucket', { bucket: 'naked' }, 'naked'),
    ]);
    expect(found).toHaveLength(2);
    const covered = await stackViolations(bucketsEncryptedAndBlocked, [
      policyResource('aws:s3/bucket:Bucket', { bucket: 'b' }),
      policyResource(
        'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
        { bucket: 'b' },
      ),
      policyResource('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', { bucket: 'b' }),
    ]);
    expect(covered).toEqual([]);
  });
});

describe('no-public-rds', () => {
  it('flags a publicly accessible database', async () => {
    expect(
      await violations(noPublicRds, 'aws:rds/instance:Instance', { publiclyAccessible: true }),
    ).toHaveLength(1);
    expect(
      await violations(noPublicRds, 'aws:rds/instance:Instance', { publiclyAccessible: false }),
    ).toEqual([]);
  });
});

describe('required-tags', () => {
  it('names the missing tags of a taggable resource', async () => {
    expect(
      await violations(requiredTags, 'aws:s3/bucket:Bucket', {
        tags: { env: 'dev', project: 'finks' },
      }),
    ).toEqual(['missing required tags: owner, cost-center']);
    expect(await violations(requiredTags, 'aws:s3/bucket:Bucket', {})).toHaveLength(1);
    expect(await violations(requiredTags, 'aws:s3/bucket:Bucket', { tags: TAGS })).toEqual([]);
  });
  it('ignores resources that cannot carry tags', async () => {
    expect(await violations(requiredTags, 'aws:s3/bucketPolicy:BucketPolicy', {})).toEqual([]);
  });
});

describe('no-iam-star-on-star', () => {
  it.each([
    ['aws:iam/policy:Policy', { policy: starOnStar }],
    ['aws:iam/rolePolicy:RolePolicy', { policy: JSON.parse(starOnStar) as unknown }],
    ['aws:iam/role:Role', { inlinePolicies: [{ name: 'x', policy: starOnStar }] }],
  ])('flags "*" on "*" in %s', async (type, props) => {
    expect(await violations(noIamStarOnStar, type, props)).toHaveLength(1);
  });
  it('accepts service wildcards and "*" resources for scoped actions', async () => {
    const scoped = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Action: ['s3:*', 'ecr:GetAuthorizationToken'], Resource: '*' },
      ],
    });
    expect(await violations(noIamStarOnStar, 'aws:iam/policy:Policy', { policy: scoped })).toEqual(
      [],
    );
  });
});

describe('log-retention-set', () => {
  it('flags a log group kept forever', async () => {
    expect(
      await violations(logRetentionSet, 'aws:cloudwatch/logGroup:LogGroup', { name: '/x' }),
    ).toHaveLength(1);
    expect(
      await violations(logRetentionSet, 'aws:cloudwatch/logGroup:LogGroup', { retentionInDays: 0 }),
    ).toHaveLength(1);
    expect(
      await violations(logRetentionSet, 'aws:cloudwatch/logGroup:LogGroup', {
        retentionInDays: 14,
      }),
    ).toEqual([]);
  });
});

describe('deletion-protection-in-prod', () => {
  it('flags an unprotected prod database and load balancer, not a dev one', async () => {
    expect(
      await violations(deletionProtectionInProd, 'aws:rds/instance:Instance', {
        tags: TAGS,
        deletionProtection: false,
      }),
    ).toHaveLength(1);
    expect(
      await violations(deletionProtectionInProd, 'aws:lb/loadBalancer:LoadBalancer', {
        tags: TAGS,
      }),
    ).toHaveLength(1);
    expect(
      await violations(deletionProtectionInProd, 'aws:rds/instance:Instance', {
        tags: { ...TAGS, env: 'dev' },
      }),
    ).toEqual([]);
    expect(
      await violations(deletionProtectionInProd, 'aws:rds/instance:Instance', {
        tags: TAGS,
        deletionProtection: true,
      }),
    ).toEqual([]);
  });
});

describe('no-admin-workload-role', () => {
  it('flags a task role with AdministratorAccess', async () => {
    const props = {
      assumeRolePolicy: ecsTrust,
      managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    };
    expect(await violations(noAdminWorkloadRole, 'aws:iam/role:Role', props)).toHaveLength(1);
    expect(
      await violations(noAdminWorkloadRole, 'aws:iam/role:Role', { assumeRolePolicy: ecsTrust }),
    ).toEqual([]);
  });

  it('flags a task definition whose role is made admin by an attachment or an inline policy', async () => {
    const role = policyResource(
      'aws:iam/role:Role',
      { name: 'task-role', assumeRolePolicy: ecsTrust },
      'role',
    );
    const task = policyResource(
      'aws:ecs/taskDefinition:TaskDefinition',
      { taskRoleArn: 'arn:aws:iam::111111111111:role/task-role' },
      'task',
    );
    const attachment = policyResource(
      'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
      { role: 'task-role', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      'attach',
    );
    expect(
      await stackViolations(noAdminWorkloadRoleInStack, [role, task, attachment]),
    ).toHaveLength(1);
    const inline = policyResource(
      'aws:iam/rolePolicy:RolePolicy',
      { role: 'task-role', policy: starOnStar },
      'inline',
    );
    expect(await stackViolations(noAdminWorkloadRoleInStack, [role, task, inline])).toHaveLength(1);
    expect(await stackViolations(noAdminWorkloadRoleInStack, [role, task])).toEqual([]);
  });

  it('flags a Lambda function running with an admin role', async () => {
    const role = policyResource(
      'aws:iam/role:Role',
      { name: 'fn', managedPolicyArns: ['arn:aws:iam::aws:policy/PowerUserAccess'] },
      'role',
    );
    const fn = policyResource(
      'aws:lambda/function:Function',
      { role: 'arn:aws:iam::1:role/fn' },
      'fn',
    );
    expect(await stackViolations(noAdminWorkloadRoleInStack, [role, fn])).toHaveLength(1);
  });
});
