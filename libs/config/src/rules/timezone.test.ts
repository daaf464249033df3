import { describe, expect, it } from 'vitest';
import { timeZoneProblem } from './timezone';

describe('timeZoneProblem', () => {
  it.each([
    'UTC',
    'America/Toronto',
    'America/New_York',
    'Europe/London',
    'US/Eastern',
    'Etc/GMT+5',
    // Links Prefect's server accepts (they are in Python's zoneinfo.available_timezones()).
    'EST',
    'GMT',
    'Japan',
  ])('accepts %j', (name) => expect(timeZoneProblem(name)).toBeUndefined());

  it.each([
    ['Mars/Olympus_Mons', 'not an IANA time zone Prefect accepts'],
    ['', 'not an IANA time zone Prefect accepts'],
    // ICU still resolves it, but tzdata dropped it in 2020b and the Prefect server refuses it.
    ['US/Pacific-New', 'not an IANA time zone Prefect accepts'],
    ['Factory', 'not an IANA time zone Prefect accepts'],
    ['america/toronto', 'use "America/Toronto"'],
    ['+05:00', 'is an offset'],
    ['UTC+5', 'is an offset'],
  ])('rejects %j', (name, expected) => {
    expect(timeZoneProblem(name)).toContain(expected);
  });
});
