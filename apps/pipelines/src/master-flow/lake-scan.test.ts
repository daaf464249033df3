import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchManifestError } from '@finks/contracts';
import { bronzeManifestsSince } from './lake-scan';

const DATASET = 'source=fmp/dataset=news';

describe('bronzeManifestsSince (local lake)', () => {
  let bronze: string;
  beforeEach(async () => {
    bronze = await mkdtemp(join(tmpdir(), 'finks-lake-scan-'));
  });
  afterEach(async () => {
    await rm(bronze, { recursive: true, force: true });
  });

  async function manifest(dt: string, runId: string, createdAt: string | null, rowCount = 3) {
    const folder = join(bronze, DATASET, `dt=${dt}`, `run=${runId}`);
    await mkdir(folder, { recursive: true });
    const body =
      createdAt === null
        ? '{"version": 1,'
        : JSON.stringify({
            version: 1,
            zone: 'bronze',
            source: 'fmp',
            dataset: 'news',
            dt,
            runId,
            createdAt,
            rowCount,
            parts: [],
            quarantine: { rowCount: 1, manifestKey: null },
          });
    await writeFile(join(folder, '_manifest.json'), body);
  }

  it('finds the batches written since, including one whose run began the day before', async () => {
    const since = new Date('2026-11-26T00:00:02Z');
    await manifest('2026-11-25', '20261125T235959Z-aaaa01', '2026-11-26T00:00:05.000Z');
    await manifest('2026-11-25', '20261125T220000Z-bbbb02', '2026-11-25T22:00:05.000Z');
    await manifest('2026-11-26', '20261126T010000Z-cccc03', '2026-11-26T01:00:05.000Z', 7);
    const found = await bronzeManifestsSince(bronze, since);
    expect(found.map((m) => [m.dt, m.createdAt, m.rowCount, m.quarantined])).toEqual([
      ['2026-11-25', '2026-11-26T00:00:05.000Z', 3, 1],
      ['2026-11-26', '2026-11-26T01:00:05.000Z', 7, 1],
    ]);
  });

  it('reads no partition older than the day before, so old history costs nothing', async () => {
    const since = new Date('2026-11-26T12:00:00Z');
    // Unreadable, but in a partition no batch written since can be in: never opened.
    await manifest('2026-11-24', '20261124T220000Z-dead00', null);
    await manifest('2026-11-26', '20261126T130000Z-dddd04', '2026-11-26T13:00:05.000Z');
    expect(await bronzeManifestsSince(bronze, since)).toHaveLength(1);
    // The same manifest within the window is read, and refused by name.
    await manifest('2026-11-25', '20261125T220000Z-dead01', null);
    await expect(bronzeManifestsSince(bronze, since)).rejects.toThrow(BatchManifestError);
    await expect(bronzeManifestsSince(bronze, since)).rejects.toThrow(
      /run=20261125T220000Z-dead01\/_manifest\.json cannot be read/,
    );
  });
});
