// A run that ends early (cancelled: its process gets SIGTERM and libs/prefect aborts the run's
// signal; or timed out) stops the ECS task its step started, though the step names no signal:
// runAppStep takes the run's. Against moto.
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { loadConfig } from '@finks/config';
import { flow, task } from '@finks/prefect';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ecsTargetFor } from '../../src/aws';
import { runAppStep } from '../../src/flows/app-step';
import { createEcsFixture, defaultSubnetId } from '../aws/moto-fixtures';

const config = loadConfig({ env: 'dev' });
const ecs = new ECSClient({ region: config.region });
const target = ecsTargetFor('ingestionFmp', 'dev');
const correlationId = `cancel-${Date.now().toString(36)}`;
const saved = { ...process.env };

beforeAll(async () => {
  process.env['FINKS_ECS_SUBNETS'] = await defaultSubnetId();
  process.env['FINKS_ECS_SECURITY_GROUPS'] = 'sg-0123456789abcdef0';
  await createEcsFixture(target.container, target);
}, 60_000);

afterAll(() => {
  process.env = saved;
});

describe('a step whose run ends early', () => {
  it("stops its ECS task with the run's reason (the task's timeout here)", async () => {
    const connector = task({ name: 'fmp-connector', timeoutSeconds: 1 }, () =>
      runAppStep(
        { kind: 'aws', config },
        { app: 'ingestion', args: ['fmp', '--symbols=AAPL'], correlationId, label: 'fmp' },
      ),
    );
    const cancelled = flow({ name: 'cancellation-test' }, () => connector());

    await expect(cancelled()).rejects.toThrow(/exceeded timeout of 1 second/);

    // The timed-out body stops the task after the attempt has failed: wait for it a little.
    const ours = await vi.waitFor(
      async () => {
        const { taskArns = [] } = await ecs.send(
          new ListTasksCommand({
            cluster: target.cluster,
            family: target.taskDefinition,
            desiredStatus: 'STOPPED',
          }),
        );
        const { tasks = [] } = await ecs.send(
          new DescribeTasksCommand({ cluster: target.cluster, tasks: taskArns }),
        );
        const found = tasks.find((t) =>
          t.overrides?.containerOverrides?.[0]?.environment?.some((e) => e.value === correlationId),
        );
        if (found?.stoppedReason === undefined) throw new Error('our task has not stopped yet');
        return found;
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(ours.stoppedReason).toMatch(
      new RegExp(`^Cancelled by the flow \\(correlation id ${correlationId}\\): Task run exceeded`),
    );
  });
});
