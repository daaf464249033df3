import { describe, expect, it } from 'vitest';
import { LakePathError } from './lake-path-error';

describe('LakePathError', () => {
  it('names the part, quotes the value and states the rule', () => {
    const error = new LakePathError({
      code: 'invalid_date',
      part: 'dt',
      value: '2026-02-30',
      problem: 'is not a real calendar date (expected YYYY-MM-DD)',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LakePathError');
    expect(error).toMatchObject({ code: 'invalid_date', part: 'dt', value: '2026-02-30' });
    expect(error.message).toBe('dt "2026-02-30" is not a real calendar date (expected YYYY-MM-DD)');
  });

  it('shortens long values in the message but keeps the whole value', () => {
    const value = 'a'.repeat(2000);
    const error = new LakePathError({ code: 'key_too_long', part: 'key', value, problem: 'x' });
    expect(error.message.length).toBeLessThan(200);
    expect(error.value).toBe(value);
  });

  it('escapes control characters so they show in the message', () => {
    const error = new LakePathError({
      code: 'invalid_segment',
      part: 'name',
      value: 'a\nb',
      problem: 'x',
    });
    expect(error.message).toBe('name "a\\nb" x');
  });

  it('keeps the standard cause', () => {
    const cause = new Error('inner');
    const error = new LakePathError({
      code: 'invalid_uri',
      part: 'uri',
      value: 'u',
      problem: 'x',
      cause,
    });
    expect(error.cause).toBe(cause);
  });
});
