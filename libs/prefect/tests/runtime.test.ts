import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import {
  configurePrefectRuntime,
  flushPrefectLogs,
  createMarkdownArtifact,
  createPrefectClient,
  createTableArtifact,
  flow,
  getRunContext,
  getRunLogger,
  LOG_LEVELS,
  PrefectTimeoutError,
  task,
  unwrap,
  type PrefectClient,
  type PrefectRuntimeOptions,
} from '../src/index';
import { readFlowRunHistory, type FlowRunHistory } from '../src/testing/index';

const client = createPrefectClient({ apiUrl: inject('prefectApiUrl') });
const suffix = randomUUID().slice(0, 8);

/** Flows report to `api`, quietly, without taking over the test process's signals. */
function useApi(
  api: PrefectClient,
  options: Pick<PrefectRuntimeOptions, 'taskRunReports'> = {},
): Promise<unknown> {
  return configurePrefectRuntime({
    api,
    consoleLevel: LOG_LEVELS.critical,
    handleProcessCrashes: false,
    ...options,
  });
}

beforeAll(async () => {
  await useApi(client);
});

function taskRun(history: FlowRunHistory, name: string) {
  const run = history.taskRuns.find((t) => t.name === name);
  if (!run) throw new Error(`no task run ${name} in ${history.taskRuns.map((t) => t.name)}`);
  return run;
}

describe('a flow with tasks, retries, a failing task and a subflow', () => {
  let history: FlowRunHistory;
  let result: { count: number; doomedError: string; total: number; flowRunId: string | undefined };

  beforeAll(async () => {
    let flakyAttempts = 0;
    const extract = task('extract', async () => [1, 2, 3]);
    const flakyLoad = task(
      { name: 'flaky-load', retries: 2, retryDelaySeconds: 1, tags: ['load'] },
      async (rows: number[]) => {
        flakyAttempts += 1;
        if (flakyAttempts === 1) throw new Error('transient outage');
        getRunLogger().info('loaded on attempt %d', flakyAttempts);
        return rows.length;
      },
    );
    const doomed = task({ name: 'doomed', retries: 1, retryDelaySeconds: 0 }, async () => {
      throw new Error('permanent failure');
    });
    const summarize = flow(`summary-${suffix}`, async ({ count }: { count: number }) => {
      getRunLogger().info('summarizing %d rows', count);
      await createTableArtifact([{ metric: 'rows', value: count }], { key: `summary-${suffix}` });
      return count * 10;
    });
    const pipeline = flow({ name: `pipeline-${suffix}`, tags: ['integration'] }, async () => {
      const rows = await extract();
      const count = await flakyLoad(rows);
      let doomedError = '';
      try {
        await doomed();
      } catch (error) {
        doomedError = (error as Error).message;
      }
      getRunLogger().info('loaded %d rows', count);
      await createMarkdownArtifact(`# Loaded ${count} rows`, {
        key: `report-${suffix}`,
        description: 'load report',
      });
      const total = await summarize({ count });
      return { count, doomedError, total, flowRunId: getRunContext().flowRunId };
    });

    result = await pipeline();
    // extract-0 succeeded at once: the server records it from events after the flow returns.
    history = await readFlowRunHistory(client, result.flowRunId ?? '', { taskRuns: 4 });
  });

  it('returns what the flow returned', () => {
    expect(result).toMatchObject({ count: 3, doomedError: 'permanent failure', total: 30 });
  });

  it('records the flow run and its state history', () => {
    expect(history.flowName).toBe(`pipeline-${suffix}`);
    // Created RUNNING (one request fewer than PENDING, then RUNNING); the server's global
    // transforms still gave it a start time and its first run count.
    expect(history.states).toEqual(['Running', 'Completed']);
    expect(history.raw.run_count).toBe(1);
    expect(history.raw.start_time).toBeTruthy();
    expect(history.raw.tags).toEqual(['integration']);
  });

  it('records exactly the expected task runs with task_key and dynamic_key', () => {
    expect(history.taskRuns.map((t) => t.name).sort()).toEqual(
      ['doomed-0', 'extract-0', 'flaky-load-0', `summary-${suffix}-0`].sort(),
    );
    const extract = taskRun(history, 'extract-0');
    expect(extract.taskKey).toMatch(/^extract-[0-9a-f]{8}$/);
    expect(extract.dynamicKey).toBe('0');
    expect(extract.states).toEqual(['Running', 'Completed']);
    expect(extract.tags).toEqual(['integration']);
    expect([...taskRun(history, 'flaky-load-0').tags].sort()).toEqual(['integration', 'load']);
  });

  it('shows a retried task as AwaitingRetry → Retrying', () => {
    const flaky = taskRun(history, 'flaky-load-0');
    expect(flaky.states).toEqual(['Running', 'AwaitingRetry', 'Retrying', 'Completed']);
    expect(flaky.runCount).toBe(2);
    const doomed = taskRun(history, 'doomed-0');
    expect(doomed.states).toEqual(['Running', 'AwaitingRetry', 'Retrying', 'Failed']);
    expect(doomed.runCount).toBe(2);
    expect(doomed.raw.state?.message).toContain('permanent failure');
  });

  it('ships flow and task logs, each tied to its run', () => {
    const flakyId = taskRun(history, 'flaky-load-0').id;
    const doomedId = taskRun(history, 'doomed-0').id;
    const flowLines = history.logs.filter((l) => l.taskRunId === null).map((l) => l.message);
    expect(flowLines[0]).toBe(`Beginning flow run '${history.name}' for flow 'pipeline-${suffix}'`);
    expect(flowLines).toContain('loaded 3 rows');
    expect(flowLines.at(-1)).toBe('Finished in state Completed()');
    const flakyLogs = history.logs.filter((l) => l.taskRunId === flakyId);
    expect(flakyLogs).toContainEqual(
      expect.objectContaining({
        level: LOG_LEVELS.warning,
        message: expect.stringContaining('transient outage - Retry 1/2'),
      }),
    );
    expect(flakyLogs.map((l) => l.message)).toContain('loaded on attempt 2');
    const doomedErrors = history.logs.filter(
      (l) => l.taskRunId === doomedId && l.level === LOG_LEVELS.error,
    );
    expect(doomedErrors.map((l) => l.message).join('\n')).toContain('Retries are exhausted');
  });

  it('attaches the markdown artifact to the flow run', () => {
    expect(history.artifacts).toHaveLength(1);
    expect(history.artifacts[0]).toMatchObject({
      key: `report-${suffix}`,
      type: 'markdown',
      data: '# Loaded 3 rows',
      description: 'load report',
      flow_run_id: history.id,
    });
  });

  it('links the subflow through parent_task_run_id and mirrors its state on that task run', () => {
    expect(history.subflows).toHaveLength(1);
    const sub = history.subflows[0]!;
    const tracking = taskRun(history, `summary-${suffix}-0`);
    expect(sub.parentTaskRunId).toBe(tracking.id);
    expect(sub.flowName).toBe(`summary-${suffix}`);
    expect(sub.states).toEqual(['Running', 'Completed']);
    expect(sub.raw.parameters).toEqual({ count: 3 });
    expect(sub.raw.tags).toEqual(['integration']);
    expect(tracking.states.at(-1)).toBe('Completed');
    expect(tracking.raw.state?.state_details?.child_flow_run_id).toBe(sub.id);
    expect(sub.logs.map((l) => l.message)).toContain('summarizing 3 rows');
    expect(sub.artifacts).toHaveLength(1);
    expect(sub.artifacts[0]?.type).toBe('table');
    // Table data is a JSON string of row objects, which is what the Prefect UI parses.
    expect(JSON.parse(sub.artifacts[0]?.data as string)).toEqual([{ metric: 'rows', value: 3 }]);
  });
});

describe('flow retries', () => {
  it('retries the flow in process: AwaitingRetry → Retrying, tasks re-run as Retrying', async () => {
    let attempts = 0;
    const step = task('step', async () => 'ok');
    const wobbly = flow(
      { name: `wobbly-${suffix}`, retries: 1, retryDelaySeconds: 1 },
      async () => {
        await step();
        attempts += 1;
        if (attempts === 1) throw new Error('first attempt fails');
        return getRunContext().flowRunId;
      },
    );
    const id = await wobbly();
    const history = await readFlowRunHistory(client, id ?? '', { taskRuns: 1 });
    expect(history.states).toEqual(['Running', 'AwaitingRetry', 'Retrying', 'Completed']);
    expect(history.raw.run_count).toBe(2);
    expect(history.taskRuns).toHaveLength(1);
    expect(history.taskRuns[0]?.states).toEqual(['Running', 'Completed', 'Retrying', 'Completed']);
    expect(history.logs.map((l) => l.message)).toContain(
      "Received non-final state 'AwaitingRetry' when proposing final state 'Failed' and will attempt to run again...",
    );
  });

  it('fails for good once the retries are spent, and rethrows the error', async () => {
    let flowRunId: string | undefined;
    const hopeless = flow({ name: `hopeless-${suffix}`, retries: 1 }, async () => {
      flowRunId = getRunContext().flowRunId;
      throw new TypeError('never works');
    });
    await expect(hopeless()).rejects.toThrow('never works');
    const history = await readFlowRunHistory(client, flowRunId ?? '');
    expect(history.states).toEqual(['Running', 'AwaitingRetry', 'Retrying', 'Failed']);
    expect(history.stateMessages.at(-1)).toBe(
      'Flow run encountered an exception: TypeError: never works',
    );
  });
});

describe('timeouts', () => {
  it('fails a task that runs too long as TimedOut and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const slow = task({ name: 'slow', timeoutSeconds: 0.3 }, async () => {
      signal = getRunContext().signal;
      await sleep(3_000);
    });
    let flowRunId: string | undefined;
    const impatient = flow(`impatient-${suffix}`, async () => {
      flowRunId = getRunContext().flowRunId;
      await slow().catch((error: unknown) => {
        expect(error).toBeInstanceOf(PrefectTimeoutError);
      });
    });
    await impatient();
    expect(signal?.aborted).toBe(true);
    const history = await readFlowRunHistory(client, flowRunId ?? '');
    expect(history.taskRuns[0]?.states).toEqual(['Running', 'TimedOut']);
    expect(history.taskRuns[0]?.raw.state?.type).toBe('FAILED');
    expect(history.taskRuns[0]?.raw.state?.message).toBe(
      'Task run exceeded timeout of 0.3 second(s)',
    );
  });

  it('fails a flow that runs too long as TimedOut', async () => {
    let flowRunId: string | undefined;
    const sluggish = flow({ name: `sluggish-${suffix}`, timeoutSeconds: 0.3 }, async () => {
      flowRunId = getRunContext().flowRunId;
      await sleep(3_000);
    });
    await expect(sluggish()).rejects.toBeInstanceOf(PrefectTimeoutError);
    const history = await readFlowRunHistory(client, flowRunId ?? '');
    expect(history.states).toEqual(['Running', 'TimedOut']);
  });
});

describe('task cache', () => {
  it('answers a second call with the same key from the cache ("Cached")', async () => {
    let executions = 0;
    const key = `price-${suffix}`;
    const expensive = task(
      {
        name: 'expensive',
        cacheKey: (ticker: string) => `${key}-${ticker}`,
        cacheExpirationSeconds: 600,
      },
      async (ticker: string) => {
        executions += 1;
        return { ticker, price: 42.5 };
      },
    );
    let flowRunId: string | undefined;
    const pricing = flow(`pricing-${suffix}`, async () => {
      flowRunId = getRunContext().flowRunId;
      return [await expensive('AAPL'), await expensive('AAPL'), await expensive('MSFT')];
    });
    const results = await pricing();
    expect(results).toEqual([
      { ticker: 'AAPL', price: 42.5 },
      { ticker: 'AAPL', price: 42.5 },
      { ticker: 'MSFT', price: 42.5 },
    ]);
    expect(executions).toBe(2);
    const history = await readFlowRunHistory(client, flowRunId ?? '');
    expect(history.taskRuns.map((t) => [t.name, t.states])).toEqual(
      expect.arrayContaining([
        ['expensive-0', ['Pending', 'Running', 'Completed']],
        ['expensive-1', ['Pending', 'Cached']],
        ['expensive-2', ['Pending', 'Running', 'Completed']],
      ]),
    );
    expect(history.taskRuns.find((t) => t.name === 'expensive-0')?.raw.cache_key).toBe(
      `${key}-AAPL`,
    );
  });
});

describe('parameters', () => {
  const schema = z.object({ ticker: z.string().min(1), days: z.number().int().positive() });

  it('records validated parameters on the flow run', async () => {
    const quotes = flow({ name: `quotes-${suffix}`, parameters: schema }, async (params) => {
      return { id: getRunContext().flowRunId, params };
    });
    const { id, params } = await quotes({ ticker: 'AAPL', days: 5 });
    expect(params).toEqual({ ticker: 'AAPL', days: 5 });
    const run = await unwrap(
      client.api.GET('/flow_runs/{id}', { params: { path: { id: id ?? '' } } }),
    );
    expect(run.parameters).toEqual({ ticker: 'AAPL', days: 5 });
  });

  it('fails the run without running the body when validation fails', async () => {
    let ran = false;
    const quotes = flow({ name: `bad-quotes-${suffix}`, parameters: schema }, async () => {
      ran = true;
    });
    await expect(quotes({ ticker: '', days: -1 })).rejects.toThrow(/Validation of flow parameters/);
    expect(ran).toBe(false);
    const runs = await unwrap(
      client.api.POST('/flow_runs/filter', {
        body: { flows: { name: { any_: [`bad-quotes-${suffix}`] } }, limit: 5 },
      }),
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]?.state?.type).toBe('FAILED');
    // Created in that state: it never ran.
    expect(runs[0]?.state?.message).toMatch(/Validation of flow parameters failed/);
    expect(runs[0]?.run_count).toBe(0);
  });
});

describe('tasks outside flows', () => {
  it('creates a task run without a flow run', async () => {
    const lonely = task('lonely', async () => getRunContext().taskRunId);
    const id = await lonely();
    const run = await unwrap(
      client.api.GET('/task_runs/{id}', { params: { path: { id: id ?? '' } } }),
    );
    expect(run.flow_run_id).toBeNull();
    expect(run.state?.type).toBe('COMPLETED');
    expect(run.dynamic_key.startsWith(run.task_key)).toBe(true);
  });
});

describe('task runs recorded after the fact', () => {
  it('records many quick task runs from batched events, not one request per state', async () => {
    const quick = task({ name: 'quick', tags: ['batch'] }, async (i: number) => i + 1);
    let flowRunId: string | undefined;
    const burst = flow(`burst-${suffix}`, async () => {
      flowRunId = getRunContext().flowRunId;
      let sum = 0;
      for (let i = 0; i < 30; i += 1) sum += await quick(i);
      return sum;
    });
    const sent = () => client.stats.requests - client.stats.retries;
    const before = sent();
    expect(await burst()).toBe(465);
    // flow run, COMPLETED, logs, a few event batches and one tag-limit check per tagged task
    // (none of them limited); not 2 × 30 state requests on top.
    expect(sent() - before).toBeLessThan(15 + 30);
    const history = await readFlowRunHistory(client, flowRunId ?? '', { taskRuns: 30 });
    expect(history.taskRuns).toHaveLength(30);
    const quick7 = taskRun(history, 'quick-7');
    expect(quick7.taskKey).toBe(quick.taskKey);
    expect(quick7.dynamicKey).toBe('7');
    expect(quick7.states).toEqual(['Running', 'Completed']);
    expect(quick7.runCount).toBe(1);
    expect([...quick7.tags].sort()).toEqual(['batch']);
    expect(quick7.raw.start_time).toBeTruthy();
    expect(quick7.raw.end_time).toBeTruthy();
    expect(history.logs.filter((l) => l.taskRunId === quick7.id).map((l) => l.message)).toEqual([
      'Finished in state Completed()',
    ]);
  });
});

describe('task runs reported through set_state', () => {
  it('falls back to set_state when the server refuses events', async () => {
    let refused = 0;
    const noEvents = createPrefectClient({
      apiUrl: inject('prefectApiUrl'),
      fetch: async (request) => {
        if (new URL(request.url).pathname.endsWith('/api/events')) {
          refused += 1;
          return new Response(JSON.stringify({ detail: 'Not Found' }), { status: 404 });
        }
        return fetch(request);
      },
    });
    await useApi(noEvents);
    try {
      const plain = task('plain', async () => 'ok');
      let flowRunId: string | undefined;
      const fallback = flow(`fallback-${suffix}`, async () => {
        flowRunId = getRunContext().flowRunId;
        return [await plain(), await plain()];
      });
      expect(await fallback()).toEqual(['ok', 'ok']);
      expect(refused).toBe(1);
      // Reported before the flow's final state, so nothing to wait for.
      const history = await readFlowRunHistory(client, flowRunId ?? '');
      expect(history.taskRuns.map((t) => [t.name, t.states])).toEqual([
        ['plain-0', ['Pending', 'Running', 'Completed']],
        ['plain-1', ['Pending', 'Running', 'Completed']],
      ]);
      expect(history.logs.map((l) => l.message).join('\n')).toContain(
        'The Prefect server refused task run events',
      );
    } finally {
      await useApi(client);
    }
  });

  it('fails the flow run when its last batch, sent alongside COMPLETED, is refused', async () => {
    // The first flow's events are taken, so the second sends its last batch together with
    // its COMPLETED proposal; the server now refuses that batch.
    let eventPosts = 0;
    const flaky = createPrefectClient({
      apiUrl: inject('prefectApiUrl'),
      fetch: async (request) => {
        if (new URL(request.url).pathname.endsWith('/api/events')) {
          eventPosts += 1;
          if (eventPosts > 1) {
            return new Response(JSON.stringify({ detail: 'events are off' }), { status: 404 });
          }
        }
        return fetch(request);
      },
    });
    await useApi(flaky);
    try {
      const plain = task('plain', async () => 'ok');
      const ids: string[] = [];
      const twice = flow(`alongside-${suffix}`, async () => {
        ids.push(getRunContext().flowRunId ?? '');
        return plain();
      });
      expect(await twice()).toBe('ok');
      await expect(twice()).rejects.toThrow(/did not accept the report of 1 task run/);
      expect(eventPosts).toBe(2);
      const second = await readFlowRunHistory(client, ids[1] ?? '');
      expect(second.states.at(-1)).toBe('Failed');
      expect(second.stateMessages.at(-1)).toMatch(/its events were refused/);
    } finally {
      await useApi(client);
    }
  });

  it('honours an ABORT that arrives after the task returned: the flow run fails', async () => {
    await useApi(client, { taskRunReports: { via: 'set_state' } });
    try {
      let flowRunId: string | undefined;
      // The flow run is stopped (as a cancellation from the UI would) while the task runs; its
      // report reaches the server after that, and the server ABORTs the task's RUNNING.
      const interrupted = task('interrupted', async () => {
        await unwrap(
          client.api.POST('/flow_runs/{id}/set_state', {
            params: { path: { id: flowRunId ?? '' } },
            body: { state: { type: 'FAILED', message: 'stopped from outside' }, force: true },
          }),
        );
        return 'returned';
      });
      const stopped = flow(`stopped-${suffix}`, async () => {
        flowRunId = getRunContext().flowRunId;
        return interrupted();
      });
      await expect(stopped()).rejects.toThrow(
        /did not accept the report of 1 task run\(s\).*interrupted-0.*aborted/,
      );
      const history = await readFlowRunHistory(client, flowRunId ?? '');
      expect(history.taskRuns.map((t) => [t.name, t.states])).toEqual([
        ['interrupted-0', ['Pending']],
      ]);
      expect(history.states.at(-1)).toBe('Failed');
      expect(history.stateMessages.at(-1)).toContain('did not accept the report');
    } finally {
      await useApi(client);
    }
  });
});

describe('log delivery at the end of a flow', () => {
  it('returns once the final state is accepted; flushPrefectLogs() waits for the last lines', async () => {
    // Holds every POST /logs/ until released, so the order of events is observable.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let heldLogPosts = 0;
    const holding = createPrefectClient({
      apiUrl: inject('prefectApiUrl'),
      fetch: async (request) => {
        if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/logs/')) {
          heldLogPosts += 1;
          await released;
        }
        return fetch(request);
      },
    });
    await useApi(holding);
    try {
      let flowRunId: string | undefined;
      const quick = flow(`log-tail-${suffix}`, async () => {
        flowRunId = getRunContext().flowRunId;
        getRunLogger().info('the body ran');
        return 'done';
      });
      // Resolves although every log request is held: a flow that waited for them would hang.
      expect(await quick()).toBe('done');
      for (let i = 0; i < 50 && heldLogPosts === 0; i += 1) await sleep(20);
      expect(heldLogPosts).toBeGreaterThan(0);
      let flushed = false;
      const flushing = flushPrefectLogs().then(() => {
        flushed = true;
      });
      await sleep(200);
      expect(flushed).toBe(false);
      release();
      await flushing;
      const logs = await unwrap(
        client.api.POST('/logs/filter', {
          body: {
            logs: { flow_run_id: { any_: [flowRunId ?? ''] } },
            sort: 'TIMESTAMP_ASC',
            limit: 50,
            offset: 0,
          },
        }),
      );
      expect(logs.map((log) => log.message)).toEqual(
        expect.arrayContaining(['the body ran', 'Finished in state Completed()']),
      );
    } finally {
      release();
      await useApi(client);
    }
  });
});

describe('tag concurrency limits', () => {
  it('runs tasks whose tag has a limit of 1 one at a time, and frees the slot afterwards', async () => {
    const limited = `limited-${suffix}`;
    const free = `free-${suffix}`;
    await unwrap(
      client.api.POST('/v2/concurrency_limits/', {
        body: { name: `tag:${limited}`, limit: 1, active: true },
      }),
    );
    let running = 0;
    const peaks: Record<string, number> = {};
    const entered: Record<string, number> = {};
    const guarded = task({ name: 'guarded' }, async (tag: string) => {
      running += 1;
      entered[tag] = (entered[tag] ?? 0) + 1;
      peaks[tag] = Math.max(peaks[tag] ?? 0, running);
      // Unlimited tasks wait for each other (up to 10 s: on a loaded machine starting a task
      // run took longer than a fixed 300 ms hold, and the probe saw 2). Limited ones hold their
      // slot 300 ms, time enough for a second one to get in if the limit let it.
      const free = !tag.startsWith('limited-');
      const deadline = Date.now() + (free ? 10_000 : 300);
      while (Date.now() < deadline && !(free && (entered[tag] ?? 0) >= 3)) await sleep(20);
      running -= 1;
      return tag;
    });
    let flowRunId: string | undefined;
    const fanOut = flow(`tag-limits-${suffix}`, async ({ tag }: { tag: string }) => {
      flowRunId = getRunContext().flowRunId;
      return Promise.all(
        [1, 2, 3].map(() =>
          // The flow's tags reach its tasks: every call is tagged `tag`.
          guarded(tag),
        ),
      );
    });
    const taggedFlow = (tag: string) =>
      flow({ name: `tagged-${tag}`, tags: [tag] }, async () => fanOut({ tag }))();

    // Without a limit the three overlap: the probe can see concurrency at all.
    await taggedFlow(free);
    expect(peaks[free]).toBe(3);

    await taggedFlow(limited);
    expect(peaks[limited]).toBe(1);
    const history = await readFlowRunHistory(client, flowRunId ?? '', { taskRuns: 3 });
    expect(history.taskRuns.map((t) => t.states.at(-1))).toEqual([
      'Completed',
      'Completed',
      'Completed',
    ]);
    expect(history.logs.map((l) => l.message)).toContain(
      `Waiting for a concurrency slot on tag:${limited}`,
    );
    const limit = await unwrap(
      client.api.GET('/v2/concurrency_limits/{id_or_name}', {
        params: { path: { id_or_name: `tag:${limited}` } },
      }),
    );
    expect(limit.active_slots).toBe(0);
  });
});
