import { describe, expect, it } from 'vitest';
import { fitName, type NameRule } from './name-rule';
import { catchIamNameError } from './testing/catch-iam-name-error';

const rule: NameRule = {
  resource: 'test',
  maxLength: 20,
  pattern: /^[a-z0-9_/-]+$/,
  described: 'lowercase letters, digits, _ / and -',
};

describe('fitName', () => {
  it('keeps a name that fits, up to the last allowed character', () => {
    expect(fitName(rule, 'a'.repeat(20))).toBe('a'.repeat(20));
  });

  it('cuts one character over the limit and appends _<hash>', () => {
    const name = fitName(rule, 'a'.repeat(21));
    expect(name).toMatch(/^a{11}_[0-9a-f]{8}$/);
    expect(name).toHaveLength(20);
  });

  it('drops separators before the mark', () => {
    expect(fitName(rule, 'finks/abcd-/-x-yyyyyyyyyyyy')).toMatch(/^finks\/abcd_[0-9a-f]{8}$/);
  });

  it('gives different names to inputs that differ only past the cut', () => {
    expect(fitName(rule, `${'a'.repeat(30)}-1`)).not.toBe(fitName(rule, `${'a'.repeat(30)}-2`));
  });

  it('refuses a name that breaks the rule', () => {
    const error = catchIamNameError(() => fitName(rule, 'Upper'));
    expect(error).toMatchObject({ code: 'invalid_name', part: 'test name', value: 'Upper' });
    expect(error.message).toBe(
      `test name "Upper" breaks AWS's rule: lowercase letters, digits, _ / and -, at most 20 characters`,
    );
  });
});
