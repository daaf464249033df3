// The scheduled dbt-build (cleansePendingFirst) does not build on a silver it could not refresh:
// when the cleansing of the pending bronze fails, the run fails there and dbt never starts.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bronzeManifestKey, bucketName } from '@finks/lake-paths';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silverToGoldFlow } from '../../src/flows/transformation/silver-to-gold';
import {
  bronzeLine,
  writeBronzeRun,
} from '../../src/transformation/bronze-to-silver/testing/bronze-fixture';

const RUN = '20261127T010000Z-badmf1';
let dir: string;
let lakeRoot: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finks-dbt-build-'));
  lakeRoot = join(dir, 'lake');
  // Today's batch, in the catch-up window, with a manifest the cleansing cannot read.
  const dt = new Date().toISOString().slice(0, 10);
  const ref = { source: 'fmp', dataset: 'eod_prices', dt, runId: RUN };
  await writeBronzeRun(lakeRoot, ref.source, ref.dataset, dt, RUN, [
    bronzeLine('fmp', 'eod_prices', RUN, `${dt}T01:00:00.000Z`, 0, { symbol: 'AAPL' }),
  ]);
  const bronze = bucketName({ env: 'local', zone: 'bronze', accountId: '123456789012' });
  await writeFile(join(lakeRoot, bronze, bronzeManifestKey(ref)), '{"version": 1}');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('transformation-silver-to-gold with cleansePendingFirst (the dbt-build deployment)', () => {
  it('fails at the cleansing and builds nothing when silver cannot be brought up to date', async () => {
    await expect(
      silverToGoldFlow({ env: 'local', lakeRoot, cleansePendingFirst: true }),
    ).rejects.toThrow(/_manifest\.json/);
    const gold = bucketName({ env: 'local', zone: 'gold', accountId: '123456789012' });
    expect(await readdir(lakeRoot)).not.toContain(gold);
  });
});
