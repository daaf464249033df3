import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createMarkdownArtifact, createTableArtifact } from './artifacts';
import { PrefectTimeoutError } from './engine';
import { flow } from './flow';
import { getRunContext, getRunLogger } from './run-context';
import { LOG_LEVELS } from './run-logger';
import { configurePrefectRuntime } from './runtime';
import { task } from './task';

// No API configured: the same flows run in process, with console output only.
describe('local runs (no Prefect API)', () => {
  let stderr: MockInstance<typeof process.stderr.write>;
  let fetchSpy: MockInstance<typeof globalThis.fetch>;
  const printed = (): string => stderr.mock.calls.map((call) => String(call[0])).join('');

  beforeEach(async () => {
    await configurePrefectRuntime({ api: false, consoleLevel: LOG_LEVELS.info });
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    fetchSpy = vi.spyOn(globalThis, 'fetch');
  });

  afterEach(() => {
    stderr.mockRestore();
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  it('runs tasks, retries, subflows and artifacts, printing what Prefect would record', async () => {
    let attempts = 0;
    const flaky = task({ name: 'flaky', retries: 2, retryDelaySeconds: 0.1 }, async () => {
      attempts += 1;
      if (attempts < 3) throw new Error(`attempt ${attempts}`);
      return attempts;
    });
    const child = flow('child', async ({ n }: { n: number }) => n + 1);
    const parent = flow({ name: 'parent', tags: ['local'] }, async () => {
      getRunLogger().info('hello %s', 'world');
      const tries = await flaky();
      await createMarkdownArtifact('# Report', { key: 'report' });
      await createTableArtifact([{ a: 1 }], { key: 'table' });
      const context = getRunContext();
      return { tries, next: await child({ n: tries }), id: context.flowRunId };
    });

    const result = await parent();
    expect(result.tries).toBe(3);
    expect(result.next).toBe(4);
    expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
    const output = printed();
    expect(output).toMatch(/Flow run '[a-z]+-[a-z]+' - Beginning flow run/);
    expect(output).toContain('hello world');
    expect(output).toContain('Retry 1/2 will start');
    expect(output).toContain('Retry 2/2 will start');
    expect(output).toContain("Task run 'flaky-0' - Finished in state Completed()");
    expect(output).toContain("Created markdown artifact 'report':\n# Report");
    expect(output).toContain('Beginning subflow run');
    expect(output).toContain('{"a":1}');
  });

  it('fails for good after the retries and rethrows', async () => {
    const doomed = task({ name: 'doomed', retries: 1 }, async () => {
      throw new RangeError('nope');
    });
    const wrapper = flow('wrapper', async () => doomed());
    await expect(wrapper()).rejects.toThrow('nope');
    expect(printed()).toContain('Retries are exhausted');
    expect(printed()).toContain(
      "Finished in state Failed('Flow run encountered an exception: RangeError: nope')",
    );
  });

  it('retries a flow and times tasks out', async () => {
    let runs = 0;
    const slow = task({ name: 'slow', timeoutSeconds: 0.05 }, () => sleep(1_000));
    const retried = flow({ name: 'retried', retries: 1 }, async () => {
      runs += 1;
      if (runs === 1) await slow();
      return runs;
    });
    expect(await retried()).toBe(2);
    expect(printed()).toContain('exceeded timeout of 0.05 second(s)');
    expect(printed()).toContain("Received non-final state 'AwaitingRetry'");
    await expect(slow()).rejects.toBeInstanceOf(PrefectTimeoutError);
  });

  it('answers repeated cache keys from an in-memory cache', async () => {
    let executions = 0;
    const cached = task({ name: 'cached', cacheKey: (x: number) => `k-${x}` }, (x: number) => {
      executions += 1;
      return x * 2;
    });
    const twice = flow('twice', async () => [await cached(2), await cached(2), await cached(3)]);
    expect(await twice()).toEqual([4, 4, 6]);
    expect(executions).toBe(2);
    expect(printed()).toContain('Finished in state Cached()');
  });
});
