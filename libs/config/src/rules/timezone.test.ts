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
  ])('accepts %j', (name) => expect(timeZoneProblem(name)).toBeUndefined());

  it.each([
    ['Mars/Olympus_Mons', 'not an IANA time zone'],
    ['', 'not an IANA time zone'],
    ['america/toronto', 'use "America/Toronto"'],
    ['+05:00', 'is an offset'],
    ['UTC+5', 'is an offset'],
  ])('rejects %j', (name, expected) => {
    expect(timeZoneProblem(name)).toContain(expected);
  });
});
