import type { Comparator, Condition, Invariant, Literal } from './invariant';

/** A column's value in a validated record; dates compare by instant, the rest natively. */
export type ColumnValue = Literal | Date | null | undefined;

/** Three-valued: `null` is SQL's UNKNOWN. */
export type Truth = boolean | null;

function comparable(value: ColumnValue): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.getTime() : value;
}

function compareValues(left: ColumnValue, comparator: Comparator, right: ColumnValue): Truth {
  const [a, b] = [comparable(left), comparable(right)];
  if (a === null || b === null) return null;
  switch (comparator) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

export function evaluateCondition(
  condition: Condition,
  column: (name: string) => ColumnValue,
): Truth {
  const value = column(condition.column);
  switch (condition.op) {
    case 'not_null':
      return value !== null && value !== undefined;
    case 'in': {
      const comparableValue = comparable(value);
      return comparableValue === null ? null : condition.values.includes(comparableValue);
    }
    case 'compare': {
      const right =
        'column' in condition.right ? column(condition.right.column) : condition.right.value;
      return compareValues(value, condition.comparator, right);
    }
  }
}

/**
 * True only when the row definitely breaks the rule: `when` is true (or absent) and `require` is
 * false. Matches `invariantToSql`, which is FALSE for exactly these rows.
 */
export function violates(invariant: Invariant, column: (name: string) => ColumnValue): boolean {
  if (invariant.when && evaluateCondition(invariant.when, column) !== true) return false;
  return evaluateCondition(invariant.require, column) === false;
}
