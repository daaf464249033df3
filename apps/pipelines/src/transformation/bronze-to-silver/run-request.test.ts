// What bronzeToSilver accepts: a run id that is a lake run id (it names a folder beside the
// table), and each dataset once however often it is listed.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LakePathError } from '@finks/lake-paths';
import { bronzeToSilver } from './bronze-to-silver';
import { EOD_SILVER, silverKeys, stagingFolders, writeEodBatch } from './testing/eod-fixture';

const RUN_1 = '20261124T220000Z-aaaa01';

let lakeRoot: string;

beforeEach(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), 'finks-b2s-request-'));
  await writeEodBatch(lakeRoot, '2026-11-24', RUN_1, [
    ['AAPL', '2026-11-24'],
    ['MSFT', '2026-11-24'],
  ]);
});

afterEach(async () => {
  await rm(lakeRoot, { recursive: true, force: true });
});

describe('bronzeToSilver requests', () => {
  it('cleanses a dataset listed twice once', async () => {
    const summaries = await bronzeToSilver({
      lakeRoot,
      datasets: ['fmp.eod_prices', 'fmp.eod_prices'],
      dates: ['2026-11-24'],
      runId: '20261125T000000Z-clean1',
    });
    expect(summaries.map((summary) => summary.dataset)).toEqual(['fmp.eod_prices']);
    expect(await silverKeys(lakeRoot)).toEqual(['AAPL 2026-11-24', 'MSFT 2026-11-24']);
    expect(await stagingFolders(lakeRoot)).toEqual([]);
  });

  it('refuses a run id that is not one before touching the lake', async () => {
    // Silver from an earlier run, which a run id walking out of the staging folder would delete.
    await bronzeToSilver({
      lakeRoot,
      datasets: ['fmp.eod_prices'],
      dates: ['2026-11-24'],
      runId: '20261125T000000Z-clean1',
    });
    const error = await bronzeToSilver({
      lakeRoot,
      datasets: ['fmp.eod_prices'],
      dates: ['2026-11-24'],
      runId: 'x/../dataset=eod_prices',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LakePathError);
    expect((error as LakePathError).code).toBe('invalid_run_id');
    expect((error as Error).message).toContain('is not a run id (expected YYYYMMDDTHHMMSSZ-');
    expect(await silverKeys(lakeRoot)).toEqual(['AAPL 2026-11-24', 'MSFT 2026-11-24']);
    expect(await readdir(join(lakeRoot, EOD_SILVER))).toEqual(['dt=2026-11-24']);
  });
});
