// transformation-bronze-to-silver locally: which batches it reads is a parameter, and dates go
// with every choice but a rebuild (checked in the flow, since deployments leave dates to runs).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bronzeToSilverFlow } from '../../src/flows/transformation/bronze-to-silver';
import {
  writeBronzeRun,
  bronzeLine,
} from '../../src/transformation/bronze-to-silver/testing/bronze-fixture';

const RUN = '20261125T220000Z-flow01';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finks-b2s-flow-'));
  await writeBronzeRun(join(dir, 'lake'), 'fmp', 'eod_prices', '2026-11-25', RUN, [
    bronzeLine('fmp', 'eod_prices', RUN, '2026-11-25T22:00:00.000Z', 0, {
      symbol: 'AAPL',
      date: '2026-11-25',
      open: 10,
      high: 12,
      low: 9,
      close: 11,
      volume: 100,
    }),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('transformation-bronze-to-silver (local)', () => {
  const base = () => ({
    env: 'local',
    lakeRoot: join(dir, 'lake'),
    datasets: ['fmp.eod_prices'],
    dates: [] as string[],
    batches: 'all' as const,
  });
  type Summary = {
    dates: string[];
    bronzeBatches: number;
    valid: number;
    batchesAlreadyCleansed: number;
  };
  const summaries = async (run: Promise<unknown>) => (await run) as Summary[];

  it('asks for dates, except with batches "rebuild", which takes none', async () => {
    await expect(bronzeToSilverFlow(base())).rejects.toThrow(
      'give the bronze dates to cleanse, except with batches "rebuild"',
    );
    await expect(
      bronzeToSilverFlow({ ...base(), dates: ['2026-11-25'], batches: 'rebuild' }),
    ).rejects.toThrow(
      'a rebuild reads every bronze date of each dataset, so it takes no dates (got 2026-11-25)',
    );
  });

  it('cleanses the given dates, then nothing pending, then everything on a rebuild', async () => {
    const [all] = await summaries(bronzeToSilverFlow({ ...base(), dates: ['2026-11-25'] }));
    expect(all).toMatchObject({ bronzeBatches: 1, valid: 1 });
    const [pending] = await summaries(
      bronzeToSilverFlow({ ...base(), dates: ['2026-11-25'], batches: 'pending' }),
    );
    expect(pending).toMatchObject({ bronzeBatches: 0, batchesAlreadyCleansed: 1 });
    const [rebuilt] = await summaries(bronzeToSilverFlow({ ...base(), batches: 'rebuild' }));
    expect(rebuilt).toMatchObject({ dates: ['2026-11-25'], bronzeBatches: 1 });
  });
});
