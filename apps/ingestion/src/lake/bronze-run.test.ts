import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { fmpEodPrices } from '@finks/contracts';
import { fmpEodPricePayload } from '@finks/contracts/testing';
import { bronzeBatchKey, bronzeManifestKey } from '@finks/lake-paths';
import { describe, expect, it } from 'vitest';
import { records, tempLake } from '../../tests/helpers';
import { ErrorBudgetError } from '../errors';
import { BronzeRun, type BronzeRunOptions } from './bronze-run';
import type { Lake } from './lake-target';
import { listManifests } from './bronze-reader';
import type { QuarantineEnvelope } from '@finks/contracts';

const RUN = '20250110T220000Z-abcd12';

/** A bronze run of fmp.eod_prices for RUN on 2025-01-10, no error budget unless given. */
const eodRun = (lake: Lake, options: Partial<BronzeRunOptions> = {}) =>
  new BronzeRun({
    lake,
    contract: fmpEodPrices,
    runId: RUN,
    dt: '2025-01-10',
    errorBudget: 0,
    ...options,
  });
const origin = (index: number) => ({
  endpoint: 'historical-price-eod/full',
  request: { symbol: 'AAPL', from: '2025-01-01', to: '2025-01-10' },
  fetchedAt: new Date('2025-01-10T22:00:00Z'),
  sourceOffset: `eod#${index}`,
});
const good = fmpEodPricePayload[0] as Record<string, unknown>;

describe('bronze keys', () => {
  it('are the same for the same run and part, whatever else differs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), (part) => {
        const ref = { source: 'fmp', dataset: 'eod_prices', dt: '2025-01-10', runId: RUN, part };
        expect(bronzeBatchKey(ref)).toBe(bronzeBatchKey({ ...ref }));
        expect(bronzeBatchKey(ref)).toBe(
          `source=fmp/dataset=eod_prices/dt=2025-01-10/run=${RUN}/part-${String(part).padStart(5, '0')}.ndjson.gz`,
        );
      }),
    );
    expect(
      bronzeManifestKey({ source: 'fmp', dataset: 'eod_prices', dt: '2025-01-10', runId: RUN }),
    ).toBe(`source=fmp/dataset=eod_prices/dt=2025-01-10/run=${RUN}/_manifest.json`);
  });
});

describe('listManifests', () => {
  it('refuses a manifest copied into another run folder, naming the run it belongs to', async () => {
    const { lake } = await tempLake();
    const run = eodRun(lake);
    await run.accept(good, origin(0));
    await run.commit({});
    const ref = { source: 'fmp', dataset: 'eod_prices', dt: '2025-01-10' };
    const body = await lake.store.get(
      lake.buckets.bronze,
      bronzeManifestKey({ ...ref, runId: RUN }),
    );
    // Its parts are RUN's: read under the other run, they would be loaded twice.
    const other = '20250110T230000Z-efgh34';
    await lake.store.put(
      lake.buckets.bronze,
      bronzeManifestKey({ ...ref, runId: other }),
      body ?? new Uint8Array(),
      'application/json',
    );
    await expect(listManifests(lake, ref)).rejects.toThrow(
      `runId: is "${RUN}" but the manifest sits in the folder of runId "${other}"`,
    );
  });
});

describe('BronzeRun', () => {
  it('writes each envelope exactly as JSON.stringify of its fields, in order', async () => {
    const { lake } = await tempLake();
    const run = eodRun(lake);
    const fetchedAt = new Date('2025-01-10T22:00:00.123Z');
    const shared = { symbol: 'BRK-B', from: '2025-01-01', note: 'quote " and \\ and ü' };
    const origins = [
      { endpoint: 'historical-price-eod/full', request: shared, fetchedAt, sourceOffset: 'a#0' },
      { endpoint: 'historical-price-eod/full', request: shared, fetchedAt, sourceOffset: 'a "#1"' },
      { endpoint: 'other', request: shared, fetchedAt, sourceOffset: 'b#0' },
      {
        endpoint: 'other',
        request: { page: '2' },
        fetchedAt: new Date(0),
        sourceOffset: 'c,"source_offset":#0',
      },
    ];
    const payloads = origins.map((_, index) => ({
      ...good,
      extra: { index, text: 'line\nbreak' },
    }));
    for (const [index, origin] of origins.entries()) await run.accept(payloads[index], origin);
    const summary = await run.commit({});
    const [manifest] = await listManifests(lake, { source: 'fmp', dataset: 'eod_prices' });
    const key = manifest?.parts[0]?.key ?? '';
    const body = await lake.store.get(lake.buckets.bronze, key);
    const lines = gunzipSync(body ?? new Uint8Array())
      .toString('utf8')
      .split('\n');
    expect(summary.valid).toBe(4);
    expect(lines).toEqual([
      ...origins.map((origin, index) =>
        JSON.stringify({
          source: 'fmp',
          dataset: 'eod_prices',
          endpoint: origin.endpoint,
          request: origin.request,
          fetched_at: origin.fetchedAt.toISOString(),
          run_id: RUN,
          source_offset: origin.sourceOffset,
          payload: payloads[index],
        }),
      ),
      '',
    ]);
  });

  it('routes invalid records to quarantine with every reason, and valid ones to bronze', async () => {
    const { lake } = await tempLake();
    const run = eodRun(lake, { errorBudget: 0.5, partMaxRecords: 2 });
    await run.accept(good, origin(0));
    await run.accept({ ...good, date: '2025-01-09' }, origin(1));
    await run.accept({ ...good, date: '2025-01-08' }, origin(2));
    await run.accept({ ...good, close: null, low: 500 }, origin(3));
    const summary = await run.commit({ AAPL: '2025-01-10' });
    expect(summary).toMatchObject({ read: 4, valid: 3, quarantined: 1 });

    const bronze = await records(lake, 'fmp', 'eod_prices');
    expect(bronze).toHaveLength(3);
    expect(bronze[0]).toMatchObject({
      source: 'fmp',
      dataset: 'eod_prices',
      run_id: RUN,
      source_offset: 'eod#0',
      payload: good,
      request: origin(0).request,
    });
    const [quarantined] = (await records(
      lake,
      'fmp',
      'eod_prices',
      'quarantine',
    )) as unknown as QuarantineEnvelope[];
    expect(quarantined?.source_offset).toBe('eod#3');
    expect(quarantined?.reasons).toEqual([
      { path: 'close', code: 'wrong_type', message: 'expected number, got null' },
      expect.objectContaining({ path: 'low', code: 'invariant_violated' }),
    ]);
    const [manifest] = await listManifests(lake, { source: 'fmp', dataset: 'eod_prices' });
    expect(manifest?.parts).toHaveLength(2);
    expect(manifest).toMatchObject({
      rowCount: 3,
      bookmarks: { AAPL: '2025-01-10' },
      quarantine: { rowCount: 1 },
    });
  });

  it('stores gzip NDJSON, one envelope per line', async () => {
    const { lake } = await tempLake();
    const run = eodRun(lake);
    await run.accept(good, origin(0));
    await run.commit({});
    const key = bronzeBatchKey({
      source: 'fmp',
      dataset: 'eod_prices',
      dt: '2025-01-10',
      runId: RUN,
      part: 0,
    });
    const body = await lake.store.get(lake.buckets.bronze, key);
    const lines = gunzipSync(body ?? new Uint8Array())
      .toString('utf8')
      .trimEnd()
      .split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ payload: good }),
    ]);
  });

  it('fails over the error budget, saying how many and where, without a bronze manifest', async () => {
    const { lake } = await tempLake();
    const run = eodRun(lake, { errorBudget: 0.05 });
    await run.accept(good, origin(0));
    await run.accept({ ...good, volume: -1 }, origin(1));
    const failure = run.commit({});
    await expect(failure).rejects.toBeInstanceOf(ErrorBudgetError);
    await expect(failure).rejects.toThrow(
      /1 of 2 records failed validation \(50\.00 %\).*quarantine/,
    );
    expect(await listManifests(lake, { source: 'fmp', dataset: 'eod_prices' })).toEqual([]);
    expect(await records(lake, 'fmp', 'eod_prices', 'quarantine')).toHaveLength(1);
  });

  it('ignores parts that no manifest lists', async () => {
    const { lake } = await tempLake();
    const crashed = eodRun(lake, { partMaxRecords: 1 });
    await crashed.accept(good, origin(0));
    await crashed.accept(good, origin(1));
    // No commit: the process "died" with two parts written.
    expect(await lake.store.list(lake.buckets.bronze, 'source=fmp/')).toHaveLength(2);
    expect(await records(lake, 'fmp', 'eod_prices')).toEqual([]);
  });
});
