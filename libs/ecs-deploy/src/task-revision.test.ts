import { describe, expect, it } from 'vitest';
import type { DescribedTaskDefinition } from './described-task-definition';
import { EcsDeployError } from './ecs-deploy-error';
import { nextTaskRevision } from './task-revision';

const IMAGE =
  '123456789012.dkr.ecr.ca-central-1.amazonaws.com/finks/staging/pipelines/worker:worker-abc1234';

// Shaped as `aws ecs describe-task-definition` prints a family infrastructure registered.
const DESCRIBED: DescribedTaskDefinition = {
  taskDefinition: {
    taskDefinitionArn:
      'arn:aws:ecs:ca-central-1:123456789012:task-definition/finks-staging-pipelines-worker:3',
    family: 'finks-staging-pipelines-worker',
    revision: 3,
    status: 'ACTIVE',
    registeredAt: '2025-11-20T10:00:00Z',
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
    compatibilities: ['EC2', 'FARGATE'],
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '512',
    memory: '1024',
    runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    executionRoleArn: 'arn:aws:iam::123456789012:role/finks-staging-pipelines-worker-execution',
    taskRoleArn: 'arn:aws:iam::123456789012:role/finks-staging-pipelines-worker-task',
    containerDefinitions: [
      {
        name: 'worker',
        image: 'old/worker:worker-bootstrap',
        command: ['--stray'],
        essential: true,
        environment: [{ name: 'FINKS_ENV', value: 'staging' }],
        secrets: [{ name: 'PREFECT_API_KEY', valueFrom: 'arn:prefect' }],
      },
      { name: 'sidecar', image: 'sidecar:1', command: ['run'] },
    ],
  },
};

describe('nextTaskRevision', () => {
  const next = nextTaskRevision(DESCRIBED, 'worker', IMAGE);

  it('keeps what RegisterTaskDefinition accepts and drops the read-only fields', () => {
    expect(Object.keys(next).sort()).toEqual(
      [
        'containerDefinitions',
        'cpu',
        'executionRoleArn',
        'family',
        'memory',
        'networkMode',
        'requiresCompatibilities',
        'runtimePlatform',
        'taskRoleArn',
      ].sort(),
    );
    expect(next['family']).toBe('finks-staging-pipelines-worker');
    expect(next['taskRoleArn']).toBe(DESCRIBED.taskDefinition['taskRoleArn']);
  });

  it('puts the image on the named container only and drops its command', () => {
    expect(next['containerDefinitions']).toEqual([
      {
        name: 'worker',
        image: IMAGE,
        essential: true,
        environment: [{ name: 'FINKS_ENV', value: 'staging' }],
        secrets: [{ name: 'PREFECT_API_KEY', valueFrom: 'arn:prefect' }],
      },
      { name: 'sidecar', image: 'sidecar:1', command: ['run'] },
    ]);
  });

  it('leaves the description it was given unchanged', () => {
    expect(DESCRIBED.taskDefinition.containerDefinitions[0]?.['image']).toBe(
      'old/worker:worker-bootstrap',
    );
    expect(DESCRIBED.taskDefinition.containerDefinitions[0]?.['command']).toEqual(['--stray']);
  });

  it('names the containers the family has when the requested one is missing', () => {
    expect(() => nextTaskRevision(DESCRIBED, 'fmp', IMAGE)).toThrow(
      'task family finks-staging-pipelines-worker has no container "fmp" (it has worker, sidecar); deploy infrastructure for this environment first',
    );
    try {
      nextTaskRevision(DESCRIBED, 'fmp', IMAGE);
    } catch (error) {
      expect(error).toBeInstanceOf(EcsDeployError);
      expect((error as EcsDeployError).code).toBe('missing_container');
    }
  });

  it('rejects an empty container name or an image with spaces', () => {
    expect(() => nextTaskRevision(DESCRIBED, ' ', IMAGE)).toThrow(/container name is empty/);
    expect(() => nextTaskRevision(DESCRIBED, 'worker', '')).toThrow(
      /is not an image reference; pass <registry>\/<repository>:<tag>/,
    );
    expect(() => nextTaskRevision(DESCRIBED, 'worker', 'repo: tag')).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });
});
