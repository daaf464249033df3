import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookmarkPrefix } from './bookmark-keys';
import {
  DRIFT_REPORTS_PREFIX,
  driftReportKey,
  driftReportPrefix,
  parseDriftReportKey,
} from './drift-report-keys';
import { glueScriptKey } from './glue-script-keys';
import { batchPartArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

const ref = { source: 'fmp', dataset: 'eod_prices', runId: '20261126T010000Z-drift1' };

describe('drift-report keys', () => {
  it('names one validation run of one dataset, apart from the other artifacts', () => {
    expect(driftReportKey(ref)).toBe(
      'drift-reports/source=fmp/dataset=eod_prices/run=20261126T010000Z-drift1/report.json',
    );
    expect(driftReportKey(ref).startsWith(driftReportPrefix(ref))).toBe(true);
    expect(driftReportPrefix(ref).startsWith(DRIFT_REPORTS_PREFIX)).toBe(true);
    expect(DRIFT_REPORTS_PREFIX).toBe('drift-reports/');
    for (const other of [bookmarkPrefix(ref), glueScriptKey({ script: 'validate_schemas' })]) {
      expect(driftReportKey(ref).startsWith(other.split('/')[0] ?? '')).toBe(false);
    }
  });

  it('says what a key should look like when it does not fit', () => {
    const error = catchLakePathError(() =>
      parseDriftReportKey('drift-reports/source=fmp/dataset=eod_prices/report.json'),
    );
    expect(error.message).toContain('is not a drift-report key (expected drift-reports/source=');
    expect(catchLakePathError(() => driftReportKey({ ...ref, runId: 'latest' })).part).toBe(
      'runId',
    );
  });

  it('round-trips every valid report', () => {
    fc.assert(
      fc.property(batchPartArb, ({ source, dataset, runId }) => {
        expect(parseDriftReportKey(driftReportKey({ source, dataset, runId }))).toEqual({
          source,
          dataset,
          runId,
        });
      }),
    );
  });
});
