// The master flow against "real" FMP, the path a local run takes with FMP_API_KEY set: one FMP
// connector at the plan's rate (from the config), and the demo portfolios loaded before the
// connectors, since their closes' requests share that rate. The market is the built-in fake
// started on its own, reached only through FMP_API_KEY and fmpBaseUrl, as FMP would be.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mongoUri } from '@finks/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_MARKET_KEY,
  startFakeMarket,
  type RunningFakeMarket,
} from '../src/master-flow/fake-market';
import { masterFlow, type MasterFlowResult } from '../src/master-flow/master-flow';
import type { Progress } from '../src/master-flow/progress';

const workspaceRoot = resolve(import.meta.dirname, '../../..');
const AS_OF = '2026-10-30';
const saved = { ...process.env };
let dir: string;
let market: RunningFakeMarket;
let result: MasterFlowResult;
const events: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finks-master-flow-real-'));
  // The local config with its own lake, and a plan whose rate does not make the test wait.
  const local = (await readFile(join(workspaceRoot, 'config/local.yaml'), 'utf8'))
    .replace(/root: .*/, `root: ${join(dir, 'lake')}`)
    .replace(/callsPerMinute: .*/, 'callsPerMinute: 3000')
    .replace(/callsPerDay: .*/, 'callsPerDay: 100000');
  await writeFile(join(dir, 'local.yaml'), local);
  process.env['FINKS_CONFIG_DIR'] = dir;
  process.env['MONGODB_URI'] = mongoUri();
  process.env['FMP_API_KEY'] = FAKE_MARKET_KEY;
  delete process.env['PREFECT_API_URL'];
  market = await startFakeMarket({ symbols: 3, historyStart: '2025-10-01', asOf: AS_OF });
  const progress: Progress = {
    stage: (name) => events.push(`stage ${name}`),
    note: (text) => events.push(`note ${text}`),
  };
  result = await masterFlow(progress)({
    env: 'local',
    lakeRoot: join(dir, 'lake'),
    tickers: [...market.symbols],
    fmpBaseUrl: market.baseUrl,
    portfolios: 2,
    from: '2025-10-01',
    asOf: AS_OF,
    mongodbDatabase: `finks_real_${Date.now().toString(36)}`,
  });
}, 300_000);

afterAll(async () => {
  process.env = saved;
  await market?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('master-flow with FMP_API_KEY set', () => {
  it('ingests the FMP API as one connector and builds gold', () => {
    expect(result.market).toBe('fmp');
    expect(result.failures).toEqual([]);
    const fmp = new Set(result.bronze.filter((m) => m.source === 'fmp').map((m) => m.dataset));
    expect(fmp).toContain('eod_prices');
    expect(fmp).toContain('news');
    expect(result.bronze.some((m) => m.source === 'mongodb' && m.dataset === 'transactions')).toBe(
      true,
    );
    expect(result.dbt.exitCode).toBe(0);
    expect(result.gold.totalMarketValue).toBeGreaterThan(0);
  });

  it('loads the demo portfolios before the connectors start, not beside them', () => {
    const loaded = events.findIndex((e) =>
      e.startsWith('note demo portfolios loaded into MongoDB'),
    );
    expect(loaded, events.join('\n')).toBeGreaterThan(-1);
    expect(loaded).toBeLessThan(events.indexOf('stage bronze'));
    expect(events).toContain(`note real FMP API (${market.baseUrl}), 3 tickers`);
  });
});
