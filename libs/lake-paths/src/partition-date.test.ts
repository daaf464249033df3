import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitionDate } from './partition-date';
import { dateArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

describe('partitionDate', () => {
  it.each(['2026-11-25', '2024-02-29', '2000-02-29', '0000-02-29', '9999-12-31', '1970-01-01'])(
    'accepts the real date %s',
    (value) => {
      expect(partitionDate(value)).toBe(value);
    },
  );

  it.each([
    '2026-02-30',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2023-02-29',
    '1900-02-29',
    '2026-01-00',
  ])('rejects %s as not a real calendar date', (value) => {
    const error = catchLakePathError(() => partitionDate(value));
    expect(error).toMatchObject({ code: 'invalid_date', part: 'dt', value });
    expect(error.message).toBe(`dt "${value}" is not a real calendar date (expected YYYY-MM-DD)`);
  });

  it.each(['2026-2-3', '20261125', '2026-11-25T00:00:00Z', ' 2026-11-25', '', '２０２６-11-25'])(
    'rejects %j as not in the form YYYY-MM-DD',
    (value) => {
      const error = catchLakePathError(() => partitionDate(value));
      expect(error.code).toBe('invalid_date');
      expect(error.message).toBe(
        `dt ${JSON.stringify(value)} is not a date in the form YYYY-MM-DD`,
      );
    },
  );

  it('names the part the caller gives', () => {
    expect(catchLakePathError(() => partitionDate('2026-02-30', 'since')).message).toMatch(
      /^since "2026-02-30"/,
    );
  });

  it('takes the UTC day of a Date, whatever the local time zone', () => {
    expect(partitionDate(new Date('2026-11-25T23:30:00-05:00'))).toBe('2026-11-26');
    expect(partitionDate(new Date('0099-03-01T00:00:00Z'))).toBe('0099-03-01');
  });

  it('rejects an invalid Date or one beyond year 9999', () => {
    expect(catchLakePathError(() => partitionDate(new Date(Number.NaN)))).toMatchObject({
      code: 'invalid_date',
      message: 'dt "Invalid Date" is not a valid Date',
    });
    const error = catchLakePathError(() => partitionDate(new Date('+010000-01-01T00:00:00Z')));
    expect(error.code).toBe('invalid_date');
    expect(error.message).toContain('has a year outside 0000–9999');
  });

  it('agrees with the calendar for every Date in range', () => {
    fc.assert(
      fc.property(dateArb, (date) => {
        const dt = partitionDate(date);
        expect(partitionDate(dt)).toBe(dt);
        expect(dt).toBe(date.toISOString().slice(0, 10));
      }),
    );
  });

  it('rejects every year/month/day that is not a calendar day', () => {
    const fieldsArb = fc.tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
    );
    fc.assert(
      fc.property(fieldsArb, ([year, month, day]) => {
        const value = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        // The oracle: Date normalises an impossible day into another month, so it only echoes
        // back the fields of a real one. Years below 100 are shifted by Date.UTC, hence the +400.
        const probe = new Date(Date.UTC(year + 400, month - 1, day));
        const real =
          month >= 1 &&
          month <= 12 &&
          probe.getUTCMonth() === month - 1 &&
          probe.getUTCDate() === day;
        if (real) expect(partitionDate(value)).toBe(value);
        else expect(catchLakePathError(() => partitionDate(value)).code).toBe('invalid_date');
      }),
    );
  });
});
