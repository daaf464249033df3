import { describe, expect, it } from 'vitest';
import { CATCH_UP_DAYS, catchUpDates, utcDaysBetween } from './catch-up-window';

describe('catchUpDates', () => {
  it('is the CATCH_UP_DAYS UTC days before the start and the days up to now', () => {
    const dates = catchUpDates(new Date('2026-11-27T01:30:00Z'));
    expect(dates).toHaveLength(CATCH_UP_DAYS + 1);
    expect(dates[0]).toBe('2026-11-20');
    expect(dates.at(-1)).toBe('2026-11-27');
  });

  it('reaches the day a run ends in when it crosses midnight UTC', () => {
    const dates = catchUpDates(new Date('2026-11-26T23:59:30Z'), new Date('2026-11-27T00:00:40Z'));
    expect(dates[0]).toBe('2026-11-19');
    expect(dates.at(-1)).toBe('2026-11-27');
  });
});

describe('utcDaysBetween', () => {
  it('names UTC days across a month end, whatever the hour', () => {
    expect(
      utcDaysBetween(new Date('2026-11-29T23:00:00Z'), new Date('2026-12-01T00:30:00Z')),
    ).toEqual(['2026-11-29', '2026-11-30', '2026-12-01']);
  });
});
