import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bronzeBatchKey,
  bronzeDatasetPrefix,
  bronzeManifestKey,
  bronzePartitionPrefix,
  bronzeRunPrefix,
  parseBronzeBatchKey,
  parseBronzeDatasetPrefix,
  parseBronzeManifestKey,
  parseBronzePartitionPrefix,
  parseBronzeRunPrefix,
} from './bronze-keys';
import {
  batchPartArb,
  batchRunArb,
  dateArb,
  datasetRefArb,
  invalidSlugArb,
  partitionArb,
} from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

const run = {
  source: 'fmp',
  dataset: 'eod_prices',
  dt: '2026-11-25',
  runId: '20261125T101500Z-ab12cd',
};
const runPath = 'source=fmp/dataset=eod_prices/dt=2026-11-25/run=20261125T101500Z-ab12cd';

describe('bronze keys', () => {
  it('builds each layout', () => {
    expect(bronzeDatasetPrefix(run)).toBe('source=fmp/dataset=eod_prices/');
    expect(bronzePartitionPrefix(run)).toBe('source=fmp/dataset=eod_prices/dt=2026-11-25/');
    expect(bronzeRunPrefix(run)).toBe(`${runPath}/`);
    expect(bronzeBatchKey({ ...run, part: 0 })).toBe(`${runPath}/part-00000.ndjson.gz`);
    expect(bronzeBatchKey({ ...run, part: 99_999 })).toBe(`${runPath}/part-99999.ndjson.gz`);
    expect(bronzeManifestKey(run)).toBe(`${runPath}/_manifest.json`);
  });

  it('takes dt as a Date, using its UTC day', () => {
    const dt = new Date('2026-11-25T23:59:59.999Z');
    expect(bronzePartitionPrefix({ source: 'mongodb', dataset: 'portfolios', dt })).toBe(
      'source=mongodb/dataset=portfolios/dt=2026-11-25/',
    );
  });

  it('parses each layout back', () => {
    expect(parseBronzeDatasetPrefix('source=fmp/dataset=eod_prices/')).toEqual({
      source: 'fmp',
      dataset: 'eod_prices',
    });
    expect(parseBronzePartitionPrefix('source=fmp/dataset=eod_prices/dt=2026-11-25/')).toEqual({
      source: 'fmp',
      dataset: 'eod_prices',
      dt: '2026-11-25',
    });
    expect(parseBronzeRunPrefix(`${runPath}/`)).toEqual(run);
    expect(parseBronzeBatchKey(`${runPath}/part-00042.ndjson.gz`)).toEqual({ ...run, part: 42 });
    expect(parseBronzeManifestKey(`${runPath}/_manifest.json`)).toEqual(run);
  });

  it.each([
    ['source', { source: 'FMP' }, 'source "FMP" is not a slug'],
    ['dataset', { dataset: 'eod prices' }, 'dataset "eod prices" contains " "'],
    ['dataset', { dataset: '..' }, 'dataset ".." is a relative path segment'],
    [
      'dt',
      { dt: '2026-02-30' },
      'dt "2026-02-30" is not a real calendar date (expected YYYY-MM-DD)',
    ],
    ['runId', { runId: 'latest' }, 'runId "latest" is not a run id'],
  ])('names the bad %s', (part, change, start) => {
    const error = catchLakePathError(() => bronzeBatchKey({ ...run, part: 1, ...change }));
    expect(error.part).toBe(part);
    expect(error.message.startsWith(start)).toBe(true);
  });

  it.each([-1, 100_000, 1.5, Number.NaN])('rejects the part number %d', (part) => {
    const error = catchLakePathError(() => bronzeBatchKey({ ...run, part }));
    expect(error).toMatchObject({ code: 'invalid_part_number', part: 'part' });
    expect(error.message).toContain(
      'must be an integer from 0 to 99999 (written as part-<nnnnn>.ndjson.gz)',
    );
  });

  it('rejects a key over 1024 bytes', () => {
    const error = catchLakePathError(() =>
      bronzeManifestKey({ ...run, dataset: 'd'.repeat(1000) }),
    );
    expect(error.code).toBe('key_too_long');
  });

  it.each([
    `${runPath}/_manifest.json`,
    `${runPath}/part-1.ndjson.gz`,
    `${runPath}/part-00001.json`,
    `${runPath}/extra/part-00001.ndjson.gz`,
    'src=fmp/dataset=eod_prices/dt=2026-11-25/run=20261125T101500Z-ab12cd/part-00001.ndjson.gz',
    'source=fmp/dataset=eod_prices/dt=2026-11-25/part-00001.ndjson.gz',
  ])('refuses to read %j as a batch key, showing the layout', (key) => {
    const error = catchLakePathError(() => parseBronzeBatchKey(key));
    expect(error).toMatchObject({ code: 'invalid_key', part: 'key', value: key });
    expect(error.message).toBe(
      `key "${key}" is not a bronze batch key (expected source=<source>/dataset=<dataset>/dt=YYYY-MM-DD/run=<runId>/part-<nnnnn>.ndjson.gz)`,
    );
  });

  it('names the bad value inside a parsed key', () => {
    const badDate = catchLakePathError(() =>
      parseBronzeManifestKey(
        `source=fmp/dataset=quotes/dt=2026-13-01/run=20261125T101500Z-ab12cd/_manifest.json`,
      ),
    );
    expect(badDate).toMatchObject({ code: 'invalid_date', part: 'dt', value: '2026-13-01' });
    const badSource = catchLakePathError(() =>
      parseBronzeDatasetPrefix('source=Fmp/dataset=quotes/'),
    );
    expect(badSource).toMatchObject({ code: 'invalid_segment', part: 'source', value: 'Fmp' });
  });

  it('refuses a prefix where a key is expected and the other way round', () => {
    expect(catchLakePathError(() => parseBronzeRunPrefix(runPath)).code).toBe('invalid_key');
    expect(
      catchLakePathError(() => parseBronzeManifestKey(`${runPath}/_manifest.json/`)).code,
    ).toBe('invalid_key');
  });

  it('round-trips every valid input through each builder and parser', () => {
    fc.assert(
      fc.property(batchPartArb, (ref) => {
        const key = bronzeBatchKey(ref);
        expect(parseBronzeBatchKey(key)).toEqual(ref);
        expect(bronzeBatchKey(parseBronzeBatchKey(key))).toBe(key);
      }),
    );
    fc.assert(
      fc.property(batchRunArb, (ref) => {
        expect(parseBronzeManifestKey(bronzeManifestKey(ref))).toEqual(ref);
        expect(parseBronzeRunPrefix(bronzeRunPrefix(ref))).toEqual(ref);
      }),
    );
    fc.assert(
      fc.property(partitionArb, (ref) => {
        expect(parseBronzePartitionPrefix(bronzePartitionPrefix(ref))).toEqual(ref);
      }),
    );
    fc.assert(
      fc.property(datasetRefArb, (ref) => {
        expect(parseBronzeDatasetPrefix(bronzeDatasetPrefix(ref))).toEqual(ref);
      }),
    );
  });

  it('puts a Date into the partition of its UTC day', () => {
    fc.assert(
      fc.property(datasetRefArb, dateArb, (ref, dt) => {
        const { dt: parsed } = parseBronzePartitionPrefix(bronzePartitionPrefix({ ...ref, dt }));
        expect(parsed).toBe(dt.toISOString().slice(0, 10));
      }),
    );
  });

  it('rejects every invalid source or dataset, naming which', () => {
    fc.assert(
      fc.property(
        batchPartArb,
        invalidSlugArb,
        fc.constantFrom('source', 'dataset'),
        (ref, bad, part) => {
          const error = catchLakePathError(() => bronzeBatchKey({ ...ref, [part]: bad }));
          expect(error).toMatchObject({ code: 'invalid_segment', part, value: bad });
          expect(error.message.startsWith(`${part} ${JSON.stringify(bad)}`)).toBe(true);
        },
      ),
    );
  });
});
