import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseSilverDatasetPrefix,
  parseSilverPartitionPrefix,
  silverDatasetPrefix,
  silverPartitionPrefix,
} from './silver-keys';
import { datasetRefArb, invalidSlugArb, partitionArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

describe('silver keys', () => {
  it('builds the table location and its dt partitions', () => {
    const ref = { source: 'fmp', dataset: 'income_statements', dt: '2026-11-25' };
    expect(silverDatasetPrefix(ref)).toBe('source=fmp/dataset=income_statements/');
    expect(silverPartitionPrefix(ref)).toBe('source=fmp/dataset=income_statements/dt=2026-11-25/');
  });

  it('parses them back', () => {
    expect(parseSilverDatasetPrefix('source=fmp/dataset=news/')).toEqual({
      source: 'fmp',
      dataset: 'news',
    });
    expect(parseSilverPartitionPrefix('source=fmp/dataset=news/dt=2026-01-31/')).toEqual({
      source: 'fmp',
      dataset: 'news',
      dt: '2026-01-31',
    });
  });

  it('refuses a partition where the dataset prefix is expected', () => {
    const error = catchLakePathError(() =>
      parseSilverDatasetPrefix('source=fmp/dataset=news/dt=2026-01-31/'),
    );
    expect(error.message).toBe(
      'prefix "source=fmp/dataset=news/dt=2026-01-31/" is not a silver dataset prefix (expected source=<source>/dataset=<dataset>/)',
    );
  });

  it('names an impossible dt', () => {
    const error = catchLakePathError(() =>
      silverPartitionPrefix({ source: 'fmp', dataset: 'news', dt: '2026-02-30' }),
    );
    expect(error.message).toBe('dt "2026-02-30" is not a real calendar date (expected YYYY-MM-DD)');
  });

  it('round-trips every valid input', () => {
    fc.assert(
      fc.property(partitionArb, (ref) => {
        expect(parseSilverPartitionPrefix(silverPartitionPrefix(ref))).toEqual(ref);
      }),
    );
    fc.assert(
      fc.property(datasetRefArb, (ref) => {
        expect(parseSilverDatasetPrefix(silverDatasetPrefix(ref))).toEqual(ref);
      }),
    );
  });

  it('rejects every invalid source', () => {
    fc.assert(
      fc.property(datasetRefArb, invalidSlugArb, (ref, source) => {
        expect(catchLakePathError(() => silverDatasetPrefix({ ...ref, source })).part).toBe(
          'source',
        );
      }),
    );
  });
});
