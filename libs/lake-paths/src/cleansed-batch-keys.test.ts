import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bronzeRunPrefix } from './bronze-keys';
import {
  cleansedBatchKey,
  cleansedDatasetPrefix,
  parseCleansedBatchKey,
  parseCleansedDatasetPrefix,
} from './cleansed-batch-keys';
import { silverDatasetPrefix } from './silver-keys';
import { batchPartArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

const ref = {
  source: 'fmp',
  dataset: 'eod_prices',
  dt: '2026-11-25',
  runId: '20261125T220000Z-ab12cd',
};

describe('cleansed-batch keys', () => {
  it('names one bronze batch in the silver zone, outside the table', () => {
    expect(cleansedBatchKey(ref)).toBe(
      '_cleansed/source=fmp/dataset=eod_prices/dt=2026-11-25/run=20261125T220000Z-ab12cd/cleansed.json',
    );
    expect(cleansedDatasetPrefix(ref)).toBe('_cleansed/source=fmp/dataset=eod_prices/');
    expect(cleansedBatchKey(ref).startsWith(silverDatasetPrefix(ref))).toBe(false);
    expect(cleansedBatchKey(ref)).toContain(bronzeRunPrefix(ref));
  });

  it('says what a key should look like when it does not fit', () => {
    const error = catchLakePathError(() =>
      parseCleansedBatchKey('source=fmp/dataset=eod_prices/dt=2026-11-25/cleansed.json'),
    );
    expect(error.message).toContain('is not a cleansed-batch key (expected _cleansed/source=');
    expect(catchLakePathError(() => cleansedBatchKey({ ...ref, runId: 'x' })).part).toBe('runId');
  });

  it('round-trips every valid batch', () => {
    fc.assert(
      fc.property(batchPartArb, ({ source, dataset, dt, runId }) => {
        const batch = { source, dataset, dt, runId };
        expect(parseCleansedBatchKey(cleansedBatchKey(batch))).toEqual(batch);
        expect(parseCleansedDatasetPrefix(cleansedDatasetPrefix(batch))).toEqual({
          source,
          dataset,
        });
      }),
    );
  });
});
