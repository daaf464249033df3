// The partition swap never leaves the table without an old partition: a failed swap moves the old
// ones back; what a killed run left aside the next run puts back; staging folders do not pile up.
import * as fs from 'node:fs/promises';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bronzeToSilver } from './bronze-to-silver';
import { PartitionSwapError } from './partition-swap-error';
import {
  EOD_SILVER,
  FMP_SILVER,
  silverKeys,
  stagingFolders,
  writeEodBatch,
} from './testing/eod-fixture';

// Renames whose source path ends with one of these fail, as a full disk or a kill would stop them.
const failingRenames = new Set<string>();
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      for (const suffix of failingRenames) {
        if (from.endsWith(suffix))
          throw Object.assign(new Error(`EIO: injected, rename '${from}'`), { code: 'EIO' });
      }
      return actual.rename(from, to);
    },
  };
});

const RUN_1 = '20261124T220000Z-aaaa01';
const RUN_2 = '20261125T220000Z-bbbb02';
const RUN_3 = '20261126T220000Z-cccc03';
const FIRST = '20261126T230000Z-clean1';
const SECOND = '20261127T010000Z-clean2';
const LEDGER = 'finks-local-silver-123456789012/_cleansed/source=fmp/dataset=eod_prices';
const BEFORE = ['AAPL 2026-11-24', 'AAPL 2026-11-25', 'MSFT 2026-11-24'];
const AFTER = [...BEFORE, 'IBM 2026-11-24', 'IBM 2026-11-25'].sort();

let lakeRoot: string;

beforeEach(async () => {
  failingRenames.clear();
  lakeRoot = await mkdtemp(join(tmpdir(), 'finks-b2s-swap-'));
  await writeEodBatch(lakeRoot, '2026-11-24', RUN_1, [
    ['AAPL', '2026-11-24'],
    ['MSFT', '2026-11-24'],
  ]);
  await writeEodBatch(lakeRoot, '2026-11-25', RUN_2, [['AAPL', '2026-11-25']]);
  await bronzeToSilver({
    lakeRoot,
    datasets: ['fmp.eod_prices'],
    dates: ['2026-11-24', '2026-11-25'],
    runId: FIRST,
  });
  // A later batch touching both partitions.
  await writeEodBatch(lakeRoot, '2026-11-26', RUN_3, [
    ['IBM', '2026-11-24'],
    ['IBM', '2026-11-25'],
  ]);
});

afterEach(async () => {
  failingRenames.clear();
  await rm(lakeRoot, { recursive: true, force: true });
});

const cleanse = () =>
  bronzeToSilver({
    lakeRoot,
    datasets: ['fmp.eod_prices'],
    dates: ['2026-11-26'],
    runId: SECOND,
    batches: 'pending',
    log: () => undefined,
  });

const ledgerRuns = async () =>
  (await readdir(join(lakeRoot, LEDGER), { recursive: true }))
    .filter((name) => name.endsWith('cleansed.json'))
    .sort();

describe('swapping rewritten partitions into silver', () => {
  it('moves every old partition back when a swap fails, and removes its staging folder', async () => {
    expect(await silverKeys(lakeRoot)).toEqual(BEFORE);
    // The new dt=2026-11-25 cannot be moved in (the old one was already moved out).
    failingRenames.add(`.staging-eod_prices-${SECOND}/dt=2026-11-25`);
    const error = await cleanse().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PartitionSwapError);
    expect((error as PartitionSwapError).stuck).toEqual([]);
    expect(await silverKeys(lakeRoot)).toEqual(BEFORE);
    expect(await stagingFolders(lakeRoot)).toEqual([]);
    // Not recorded: the next run cleanses the batch.
    expect(await ledgerRuns()).toHaveLength(2);
    failingRenames.clear();
    await cleanse();
    expect(await silverKeys(lakeRoot)).toEqual(AFTER);
  });

  it('puts back, on its next run, an old partition a failed run could not move back', async () => {
    failingRenames.add(`.staging-eod_prices-${SECOND}/dt=2026-11-25`);
    failingRenames.add(`.staging-eod_prices-${SECOND}/.old/dt=2026-11-25`);
    const error = await cleanse().catch((caught: unknown) => caught);
    expect((error as PartitionSwapError).stuck).toEqual(['2026-11-25']);
    expect((error as Error).message).toContain(
      `the old partitions dt=2026-11-25 could not be moved back: they are in`,
    );
    // The old partition waits in the staging folder, which is kept for it.
    expect(await readdir(join(lakeRoot, EOD_SILVER))).toEqual(['dt=2026-11-24']);
    expect(await stagingFolders(lakeRoot)).toEqual([`.staging-eod_prices-${SECOND}`]);

    failingRenames.clear();
    const lines: string[] = [];
    await bronzeToSilver({
      lakeRoot,
      datasets: ['fmp.eod_prices'],
      dates: ['2026-11-26'],
      runId: SECOND,
      batches: 'pending',
      log: (line) => lines.push(line),
    });
    expect(lines).toContain(
      'fmp.eod_prices: put back partitions a crashed cleansing had moved aside: dt=2026-11-25',
    );
    expect(await silverKeys(lakeRoot)).toEqual(AFTER);
    expect(await stagingFolders(lakeRoot)).toEqual([]);
  });

  it("restores a killed run's partitions left aside, keeps ones it swapped in, and sweeps staging", async () => {
    // What a run killed mid-swap leaves: dt=2026-11-24 moved aside and not replaced, dt=2026-11-25
    // moved aside and replaced (here: by itself), a half-written partition of its own.
    const dead = join(lakeRoot, FMP_SILVER, '.staging-eod_prices-20261127T000000Z-dead00');
    await mkdir(join(dead, '.old'), { recursive: true });
    await fs.rename(
      join(lakeRoot, EOD_SILVER, 'dt=2026-11-24'),
      join(dead, '.old', 'dt=2026-11-24'),
    );
    await fs.cp(join(lakeRoot, EOD_SILVER, 'dt=2026-11-25'), join(dead, '.old', 'dt=2026-11-25'), {
      recursive: true,
    });
    await mkdir(join(dead, 'dt=2026-11-26'));
    await writeFile(join(dead, 'dt=2026-11-26', 'data_0.parquet'), 'half');
    // Another dataset's staging folder is not this dataset's to sweep.
    const other = join(lakeRoot, FMP_SILVER, '.staging-quotes-20261127T000000Z-other0');
    await mkdir(other);

    await cleanse();
    expect(await silverKeys(lakeRoot)).toEqual(AFTER);
    expect(await stagingFolders(lakeRoot)).toEqual(['.staging-quotes-20261127T000000Z-other0']);
  });
});
