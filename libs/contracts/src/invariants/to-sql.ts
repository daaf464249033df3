import type { Condition, Invariant, Literal, Operand } from './invariant';

// Column names are checked at definition time (lowercase, not reserved), so they need no quoting.
function literal(value: Literal): string {
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

function operand(value: Operand): string {
  return 'column' in value ? value.column : literal(value.value);
}

export function conditionToSql(condition: Condition): string {
  switch (condition.op) {
    case 'not_null':
      return `${condition.column} IS NOT NULL`;
    case 'in':
      return `${condition.column} IN (${condition.values.map(literal).join(', ')})`;
    case 'compare':
      return `${condition.column} ${condition.comparator === '!=' ? '<>' : condition.comparator} ${operand(condition.right)}`;
  }
}

/**
 * A boolean expression, valid in Spark SQL, Athena (Trino) and DuckDB, that is FALSE exactly for
 * violating rows (TRUE or NULL otherwise, like a CHECK constraint): `NOT (when) OR (require)`.
 */
export function invariantToSql(invariant: Invariant): string {
  const require = conditionToSql(invariant.require);
  return invariant.when ? `NOT (${conditionToSql(invariant.when)}) OR (${require})` : require;
}
