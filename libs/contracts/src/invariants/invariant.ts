/**
 * Row rules that span columns (`high >= low`, "a buy has a symbol"), written as data so the same
 * rule runs in TypeScript (`validateRecord`), in the PySpark silver job (contracts.json) and as
 * SQL. Conditions name silver columns.
 *
 * Semantics are SQL's: a condition on a NULL is unknown, and a row violates an invariant only
 * when `when` is true (or absent) and `require` is false. Whether a column may be NULL at all is the
 * column's own `nullable` rule, so invariants never fail on a NULL by accident.
 */

export type Literal = string | number | boolean;

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Operand = { readonly column: string } | { readonly value: Literal };

export type Condition =
  | { readonly op: 'not_null'; readonly column: string }
  | { readonly op: 'in'; readonly column: string; readonly values: readonly Literal[] }
  | {
      readonly op: 'compare';
      readonly column: string;
      readonly comparator: Comparator;
      readonly right: Operand;
    };

export interface Invariant {
  /** snake_case, stable: quarantine reasons and dbt tests refer to it. */
  readonly name: string;
  readonly description: string;
  /** Only rows where this holds are checked; absent means every row. */
  readonly when?: Condition;
  readonly require: Condition;
}

export function notNull(column: string): Condition {
  return { op: 'not_null', column };
}

export function isIn(column: string, values: readonly Literal[]): Condition {
  return { op: 'in', column, values };
}

/** `compare('high', '>=', { column: 'low' })` or `compare('volume', '>=', 0)`. */
export function compare(
  column: string,
  comparator: Comparator,
  right: Operand | Literal,
): Condition {
  return {
    op: 'compare',
    column,
    comparator,
    right: typeof right === 'object' ? right : { value: right },
  };
}

export function conditionColumns(condition: Condition): string[] {
  if (condition.op === 'compare' && 'column' in condition.right) {
    return [condition.column, condition.right.column];
  }
  return [condition.column];
}

export function invariantColumns(invariant: Invariant): string[] {
  return [
    ...new Set([
      ...(invariant.when ? conditionColumns(invariant.when) : []),
      ...conditionColumns(invariant.require),
    ]),
  ];
}
