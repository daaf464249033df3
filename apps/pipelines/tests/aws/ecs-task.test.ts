import { DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import {
  AwsInputError,
  EcsTaskFailedError,
  ecsLogStreamName,
  ecsTargetFor,
  runEcsTask,
  type EcsTaskRequest,
} from '../../src/aws';
import { config, createEcsFixture, defaultSubnetId, ecs, writeContainerLog } from './moto-fixtures';

// moto moves a task one state per DescribeTasks (RUNNING → … → STOPPED after 4), so short
// waits keep these tests quick without changing what is polled.
const poll = { initialMs: 10, maxMs: 40 };

async function request(overrides: Partial<EcsTaskRequest> = {}): Promise<EcsTaskRequest> {
  return {
    workload: 'dbtRunner',
    env: 'local',
    correlationId: '20261126T010000Z-ecs001',
    command: ['build', '--json'],
    environment: { FINKS_LOG_LEVEL: 'debug' },
    network: { subnets: [await defaultSubnetId()], securityGroups: ['sg-0123456789abcdef0'] },
    ...overrides,
  };
}

async function describeTask(cluster: string, taskArn: string) {
  const answer = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
  const found = answer.tasks?.[0];
  if (!found) throw new Error(`moto does not know ${taskArn}`);
  return found;
}

describe('runEcsTask', () => {
  it('runs the workload with its overrides and resolves when the container exits 0', async () => {
    const target = await createEcsFixture();
    // No client passed: the task builds its own, in the config's region, at AWS_ENDPOINT_URL.
    const result = await runEcsTask(await request(), { config, target, poll });

    expect(result).toMatchObject({ exitCode: 0, cluster: target.cluster, container: 'dbt' });
    expect(result.polls).toBe(4);
    const task = await describeTask(target.cluster, result.taskArn);
    expect(task.lastStatus).toBe('STOPPED');
    expect(task.launchType).toBe('FARGATE');
    expect(task.taskDefinitionArn).toContain(`task-definition/${target.taskDefinition}:`);
    // CPU and memory are the config's dbtRunner size, not the task definition's.
    expect(task.overrides).toMatchObject({
      cpu: String(config.ecs.dbtRunner.cpu),
      memory: String(config.ecs.dbtRunner.memory),
    });
    const container = task.overrides?.containerOverrides?.[0];
    expect(container?.name).toBe('dbt');
    expect(container?.command).toEqual(['build', '--json']);
    expect(container?.environment).toEqual(
      expect.arrayContaining([
        { name: 'FINKS_LOG_LEVEL', value: 'debug' },
        { name: 'FINKS_CORRELATION_ID', value: '20261126T010000Z-ecs001' },
      ]),
    );
  });

  it('rejects with the exit code, stop reason and log tail when the container fails', async () => {
    const target = await createEcsFixture();
    const failing = await request({
      // Read by the moto extension (tools/dev-env/moto): the container "exits" with code 3.
      environment: { FINKS_MOTO_EXIT_CODE: '3' },
    });
    const error = await runEcsTask(failing, {
      config,
      target,
      ecs,
      poll,
      onStarted: (taskArn) =>
        writeContainerLog(
          target.logGroup,
          ecsLogStreamName(target.logStreamPrefix, target.container, taskArn),
          ['dbt build starting', 'Database Error in model fct_positions', 'exit 3'],
        ),
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(EcsTaskFailedError);
    const failure = error as EcsTaskFailedError;
    expect(failure.code).toBe('ecs_task_failed');
    expect(failure.exitCode).toBe(3);
    expect(failure.stopReason).toBe('Essential container in task exited');
    expect(failure.stopCode).toBe('EssentialContainerExited');
    expect(failure.logTail).toEqual([
      'dbt build starting',
      'Database Error in model fct_positions',
      'exit 3',
    ]);
    expect(failure.message).toContain(failure.taskArn);
    expect(failure.message).toContain('exited with code 3');
    expect(failure.message).toContain('Database Error in model fct_positions');
  });

  it('stops the ECS task with a reason when the run is cancelled, and rethrows', async () => {
    const target = await createEcsFixture();
    const controller = new AbortController();
    let started = '';
    const error = await runEcsTask(await request(), {
      config,
      target,
      ecs,
      poll: { initialMs: 5_000 },
      signal: controller.signal,
      onStarted: (taskArn) => {
        started = taskArn;
        setTimeout(() => controller.abort(new Error('flow run cancelled')), 50);
      },
    }).catch((caught: unknown) => caught);

    expect((error as Error).message).toBe('flow run cancelled');
    const task = await describeTask(target.cluster, started);
    expect(task.lastStatus).toBe('STOPPED');
    expect(task.stoppedReason).toBe(
      'Cancelled by the flow (correlation id 20261126T010000Z-ecs001): flow run cancelled',
    );
  });

  it('refuses a request without subnets before starting anything', async () => {
    const bad = await request({ network: { subnets: [], securityGroups: ['sg-1'] } });
    await expect(runEcsTask(bad, { config, ecs })).rejects.toThrow(AwsInputError);
    await expect(runEcsTask(bad, { config, ecs })).rejects.toThrow(/network.subnets is empty/);
  });

  it('takes the cluster, family and log group from @finks/iam-names', () => {
    expect(ecsTargetFor('dbtRunner', 'prod')).toEqual({
      cluster: 'finks-prod-infrastructure-platform',
      taskDefinition: 'finks-prod-dbt-runner-dbt',
      container: 'dbt',
      logGroup: '/finks/prod/dbt-runner/dbt',
      logStreamPrefix: 'dbt',
    });
  });
});
