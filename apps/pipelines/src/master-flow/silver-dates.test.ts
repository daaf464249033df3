import { describe, expect, it } from 'vitest';
import { CATCH_UP_DAYS } from '../transformation/bronze-to-silver/catch-up-window';
import { silverDates } from './silver-dates';

describe('silverDates', () => {
  it('covers the catch-up window before the start, up to now, and the days the run wrote', () => {
    const started = new Date('2026-11-26T23:59:30Z');
    const now = new Date('2026-11-27T00:00:40Z');
    const dates = silverDates(['2026-11-26', '2026-11-27'], started, now);
    expect(dates).toHaveLength(CATCH_UP_DAYS + 2);
    expect(dates[0]).toBe('2026-11-19');
    expect(dates.at(-1)).toBe('2026-11-27');
    expect(new Set(dates).size).toBe(dates.length);
  });

  it('keeps a written day outside the window (a connector with a clock of its own)', () => {
    const now = new Date('2026-11-26T10:00:00Z');
    expect(silverDates(['2026-10-01'], now, now)).toContain('2026-10-01');
  });
});
