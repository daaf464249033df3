import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRunId, runId, runIdStartedAt } from './run-id';
import { dateArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

const startedAt = new Date('2026-11-25T10:15:00.789Z');

describe('runId', () => {
  it('is the compact UTC start time and the given suffix', () => {
    expect(runId(startedAt, 'ab12cd')).toBe('20261125T101500Z-ab12cd');
  });

  it('draws a random six-character suffix when none is given', () => {
    const ids = new Set(Array.from({ length: 50 }, () => runId(startedAt)));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^20261125T101500Z-[a-z0-9]{6}$/);
  });

  it.each(['abc', 'AB12CD', 'ab-12', 'a'.repeat(17), ''])('rejects the suffix %j', (suffix) => {
    const error = catchLakePathError(() => runId(startedAt, suffix));
    expect(error).toMatchObject({ code: 'invalid_run_id', part: 'run id suffix', value: suffix });
    expect(error.message).toContain('must be 4–16 lowercase letters or digits');
  });

  it('rejects an invalid Date', () => {
    expect(catchLakePathError(() => runId(new Date('nope'), 'abcd'))).toMatchObject({
      code: 'invalid_run_id',
      message: 'startedAt "Invalid Date" is not a valid Date',
    });
  });

  it('sorts as text in the order the runs started', () => {
    fc.assert(
      fc.property(dateArb, dateArb, (a, b) => {
        const [ida, idb] = [runId(a, 'zzzz'), runId(b, 'aaaa')];
        const [sa, sb] = [Math.floor(a.getTime() / 1000), Math.floor(b.getTime() / 1000)];
        if (sa < sb) expect(ida < idb).toBe(true);
        if (sa > sb) expect(ida > idb).toBe(true);
      }),
    );
  });
});

describe('parseRunId', () => {
  it('accepts a run id and tells when the run started', () => {
    const id = parseRunId('20261125T101500Z-ab12cd');
    expect(runIdStartedAt(id)).toEqual(new Date('2026-11-25T10:15:00Z'));
  });

  it.each(['2026-11-25T10:15:00Z-ab12cd', '20261125T101500-ab12cd', '20261125T101500Z', 'latest'])(
    'rejects %j, which is not in the run id format',
    (value) => {
      const error = catchLakePathError(() => parseRunId(value));
      expect(error).toMatchObject({ code: 'invalid_run_id', part: 'runId', value });
      expect(error.message).toContain('is not a run id (expected YYYYMMDDTHHMMSSZ-');
    },
  );

  it.each([
    '20260230T101500Z-ab12cd',
    '20261125T241500Z-ab12cd',
    '20261125T106000Z-ab12cd',
    '20261125T101560Z-ab12cd',
  ])('rejects %j, whose start time is impossible', (value) => {
    const error = catchLakePathError(() => parseRunId(value));
    expect(error.code).toBe('invalid_run_id');
    expect(error.message).toContain('has a start time that is not a real UTC date and time');
  });

  it('round-trips every start time to the second', () => {
    fc.assert(
      fc.property(dateArb, fc.stringMatching(/^[a-z0-9]{4,16}$/), (date, suffix) => {
        const id = runId(date, suffix);
        expect(parseRunId(id)).toBe(id);
        expect(runIdStartedAt(id).getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
        expect(runId(runIdStartedAt(id), suffix)).toBe(id);
      }),
    );
  });
});
