import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRON_FIELDS, cronProblems, isValidCron, type CronField } from './cron';

describe('cronProblems', () => {
  it.each([
    '* * * * *',
    '*/15 9-16 * * 1-5',
    '30 18 * * MON-FRI',
    '0 6 * * sat',
    '0 0 1,15 * *',
    '5-55/10 */2 1-31/3 JAN-DEC/2 0-7',
    '0 0 * * 7',
    '  0  12   *  *  *  ',
    '10/5 * * * *',
    // Leap day, days that exist in at least one listed month, and day-or-weekday schedules.
    '0 6 29 2 *',
    '0 6 31 1-2 *',
    '0 6 30 FEB,APR *',
    '0 6 30 2 MON',
  ])('accepts %j', (expression) => {
    expect(cronProblems(expression)).toEqual([]);
  });

  it.each([
    ['', 'cron expression is empty'],
    ['@daily', 'macros like "@daily" are not accepted'],
    ['0 0 * *', 'has 4 fields; expected 5'],
    ['0 0 0 * * *', 'has 6 fields; expected 5'],
    ['60 * * * *', 'minute field "60": 60 is out of range 0-59'],
    ['* 24 * * *', 'hour field "24": 24 is out of range 0-23'],
    ['* * 0 * *', 'day-of-month field "0": 0 is out of range 1-31'],
    ['* * * 13 *', 'month field "13": 13 is out of range 1-12'],
    ['* * * * 8', 'day-of-week field "8": 8 is out of range 0-7'],
    ['* * * * FOO', 'day-of-week field "FOO": "FOO" is not a number or a name'],
    ['*/0 * * * *', 'step 0 is out of range 1-59'],
    ['*/x * * * *', 'step "x" is not a whole number'],
    ['30-10 * * * *', 'range 30-10 runs backwards'],
    ['1,,2 * * * *', 'empty list item'],
    ['0 12 ? * MON', 'Quartz/EventBridge syntax'],
    ['0 12 * * 5L', 'Quartz/EventBridge syntax'],
    ['1-2-3 * * * *', 'is not a value or a range'],
    ['0 6 30 2 *', 'day-of-month "30" never occurs in month "2" (FEB has at most 29 days)'],
    ['0 6 31 4,6,9,11 *', 'never occurs in month "4,6,9,11" (APR, JUN, SEP, NOV have at most 30'],
    ['0 6 30-31/1 FEB *', 'so the schedule would never fire'],
  ])('rejects %j', (expression, expected) => {
    const problems = cronProblems(expression);
    expect(problems.join('\n')).toContain(expected);
  });

  it('reports every bad field, not just the first', () => {
    expect(cronProblems('61 25 * * *')).toHaveLength(2);
  });
});

/** A valid list item for `field`: `*`, `*\/s`, `n`, `a-b` or `a-b/s`. */
function validItem(field: CronField): fc.Arbitrary<string> {
  const value = fc.integer({ min: field.min, max: field.max });
  const step = fc.integer({ min: 1, max: field.max - field.min });
  const range = fc.tuple(value, value).map(([a, b]) => (a <= b ? `${a}-${b}` : `${b}-${a}`));
  const named = field.names
    ? [fc.constantFrom(...field.names, ...field.names.map((name) => name.toLowerCase()))]
    : [];
  return fc.oneof(
    fc.constant('*'),
    step.map((s) => `*/${s}`),
    value.map(String),
    range,
    fc.tuple(range, step).map(([r, s]) => `${r}/${s}`),
    ...named,
  );
}

function validField(field: CronField): fc.Arbitrary<string> {
  return fc.array(validItem(field), { minLength: 1, maxLength: 4 }).map((items) => items.join(','));
}

const validExpression = fc.tuple(...CRON_FIELDS.map(validField)).map((fields) => fields.join(' '));

describe('cron validator properties', () => {
  it('accepts every well-formed expression', () => {
    fc.assert(
      fc.property(validExpression, (expression) => {
        expect(cronProblems(expression)).toEqual([]);
      }),
    );
  });

  it('rejects an out-of-range value in any field and names that field', () => {
    const outOfRange = fc.integer({ min: 0, max: CRON_FIELDS.length - 1 }).chain((index) => {
      const field = CRON_FIELDS[index] as CronField;
      const bad = fc.oneof(
        fc.integer({ min: field.max + 1, max: field.max + 1000 }),
        ...(field.min > 0 ? [fc.integer({ min: 0, max: field.min - 1 })] : []),
      );
      return fc.tuple(fc.constant(index), bad, validExpression);
    });
    fc.assert(
      fc.property(outOfRange, ([index, bad, expression]) => {
        const fields = expression.split(' ');
        fields[index] = String(bad);
        const problems = cronProblems(fields.join(' '));
        const field = CRON_FIELDS[index] as CronField;
        expect(problems).toContainEqual(
          `${field.name} field "${bad}": ${bad} is out of range ${field.min}-${field.max}`,
        );
        expect(isValidCron(fields.join(' '))).toBe(false);
      }),
    );
  });
});
