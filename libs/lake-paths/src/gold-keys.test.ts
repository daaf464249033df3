import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goldMartPrefix, parseGoldMartPrefix } from './gold-keys';
import { invalidSlugArb, slugArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

describe('gold keys', () => {
  it('builds and parses mart=<name>/', () => {
    expect(goldMartPrefix({ mart: 'portfolio_performance' })).toBe('mart=portfolio_performance/');
    expect(parseGoldMartPrefix('mart=finance/')).toEqual({ mart: 'finance' });
  });

  it('names a bad mart', () => {
    const error = catchLakePathError(() => goldMartPrefix({ mart: 'Finance' }));
    expect(error).toMatchObject({ code: 'invalid_segment', part: 'mart', value: 'Finance' });
  });

  it('refuses anything below a mart', () => {
    expect(catchLakePathError(() => parseGoldMartPrefix('mart=finance/table=x/')).message).toBe(
      'prefix "mart=finance/table=x/" is not a gold mart prefix (expected mart=<name>/)',
    );
  });

  it('round-trips every mart name and rejects every invalid one', () => {
    fc.assert(
      fc.property(slugArb, (mart) => {
        expect(parseGoldMartPrefix(goldMartPrefix({ mart }))).toEqual({ mart });
      }),
    );
    fc.assert(
      fc.property(invalidSlugArb, (mart) => {
        expect(catchLakePathError(() => goldMartPrefix({ mart })).part).toBe('mart');
      }),
    );
  });
});
