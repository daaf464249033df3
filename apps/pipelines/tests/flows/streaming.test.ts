// ingestion-streaming locally: the watchdog starts the news-stream connector (a real child
// process following the fake FMP market), finds it healthy once a micro-batch lands, starts it
// again after it died, and replaces it when it stalled.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestionStreamingFlow } from '../../src/flows/ingestion/streaming';
import {
  isNewsStreamAlive,
  readNewsStreamProcess,
  stopNewsStream,
} from '../../src/flows/ingestion/news-stream-process';
import { startFakeMarket, type RunningFakeMarket } from '../../src/master-flow/fake-market';

let dir: string;
let market: RunningFakeMarket;
const params = () => ({
  env: 'local',
  lakeRoot: join(dir, 'lake'),
  fmpBaseUrl: market.baseUrl,
  fakeMarket: true,
  intervalSeconds: 1,
  batchSeconds: 1,
  staleAfterSeconds: 30,
});

async function newsManifests(): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name === '_manifest.json' && path.includes('dataset=news')) found.push(path);
    }
  };
  await walk(join(dir, 'lake'));
  return found;
}

/** Pids of the processes whose command line names this lake (the connectors writing to it). */
async function connectorsOf(lake: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('news-stream') && cmdline.includes(`--lake-root=${lake}`))
      pids.push(Number(entry));
  }
  return pids;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finks-streaming-'));
  process.env['FINKS_RUN_DIR'] = join(dir, 'run');
  market = await startFakeMarket({ symbols: 3, historyStart: '2026-10-01', asOf: '2026-10-30' });
}, 90_000);

afterAll(async () => {
  const state = await readNewsStreamProcess();
  if (state) await stopNewsStream(state, 5_000);
  expect(await connectorsOf(join(dir, 'lake'))).toEqual([]);
  await market?.stop();
  delete process.env['FINKS_RUN_DIR'];
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('ingestion-streaming watchdog (local)', () => {
  it('starts the connector, then finds it healthy once a batch landed', async () => {
    const first = await ingestionStreamingFlow(params());
    expect(first.action).toBe('started');
    const state = await readNewsStreamProcess();
    expect(state?.pid).toBe(first.pid);
    expect(await isNewsStreamAlive(state!)).toBe(true);

    const deadline = Date.now() + 90_000;
    while ((await newsManifests()).length === 0 && Date.now() < deadline) await sleep(500);
    expect(await newsManifests(), await readFile(state!.logFile, 'utf8')).not.toEqual([]);

    const second = await ingestionStreamingFlow(params());
    expect(second).toMatchObject({ action: 'healthy', reason: 'alive and fresh', pid: first.pid });
    expect(second.lastBatchAt).not.toBeNull();
  }, 120_000);

  it('starts it again when the process died', async () => {
    const before = (await readNewsStreamProcess())!;
    process.kill(before.pid, 'SIGKILL');
    while (await isNewsStreamAlive(before)) await sleep(100);
    const result = await ingestionStreamingFlow(params());
    expect(result).toMatchObject({ action: 'started', reason: 'the process had exited' });
    expect(result.pid).not.toBe(before.pid);
    // The killed connector left nothing behind: no process still writes to this lake.
    expect(await connectorsOf(join(dir, 'lake'))).toEqual([result.pid]);
  }, 60_000);

  it('replaces a connector that landed nothing for the stale period', async () => {
    const before = (await readNewsStreamProcess())!;
    // An hour-old process with no batch in the period: what a stalled connector looks like.
    for (const manifest of await newsManifests()) await rm(manifest);
    const file = join(dir, 'run', 'news-stream.json');
    await writeFile(
      file,
      JSON.stringify({ ...before, startedAt: new Date(Date.now() - 3_600_000).toISOString() }),
    );
    const result = await ingestionStreamingFlow(params());
    expect(result.action).toBe('restarted');
    expect(result.reason).toMatch(/stalled: no news batch in 30 s/);
    expect(await isNewsStreamAlive(before)).toBe(false);
    const after = (await readNewsStreamProcess())!;
    expect(after.pid).toBe(result.pid);
    expect(await isNewsStreamAlive(after)).toBe(true);
  }, 90_000);
});
