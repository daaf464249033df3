import { SOURCE_ENCODINGS, type DatasetContract } from '@finks/contracts';
import { sqlString } from '../bronze-to-silver/contract-sql';

// The DuckDB half of the schema-drift check: per bronze line, whether its payload could be read
// and which drift it shows, as the `drift_lines` table. validate_schemas.py's profile_lines
// decides the same per line; the report is the counts of both.

/** DuckDB's json_type names as JSON's (the report's words). */
const JSON_TYPE_SQL = (type: string) =>
  `CASE ${type} WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'OBJECT' THEN 'object' ` +
  `WHEN 'ARRAY' THEN 'array' ELSE 'number' END`;

const list = (items: readonly string[]) => `[${items.join(', ')}]::VARCHAR[]`;

/**
 * SQL creating `drift_lines` (`unreadable` BOOLEAN, `issues` a list of {kind, field, observed})
 * from `source` (a query with a `line` column). A line is unreadable when it is not JSON, not an
 * object, or its payload is not an object (then it has no issues). Kinds: `unknown` (a payload
 * field the contract neither reads nor ignores), `missing` (a required field absent or null), `type` (a
 * field whose JSON type its encoding does not take; `observed` names it).
 */
export function driftLinesSql(contract: DatasetContract, source: string): string {
  const fields = contract.columns.filter((column) => column.sourceField !== null);
  const names = fields.map((column) => column.sourceField ?? column.name);
  // One parse of the payload for all fields' types: NULL where a field is absent, 'NULL' where
  // it is JSON null. Names are quoted in the paths, so `_id` or `$x` read as written.
  const paths = names.map((name) => sqlString(`$.${JSON.stringify(name)}`));
  const issue = (kind: string, field: string, observed: string) =>
    `{'kind': ${sqlString(kind)}, 'field': ${field}, 'observed': ${observed}}`;
  const checks = fields.flatMap((column, index) => {
    const type = `types[${index + 1}]`;
    const field = sqlString(names[index] ?? '');
    const accepted = list(SOURCE_ENCODINGS[column.encoding].jsonTypes.map(sqlString));
    const typeIssue = `CASE WHEN ${type} IS NOT NULL AND ${type} <> 'NULL' AND NOT list_contains(${accepted}, ${JSON_TYPE_SQL(type)}) THEN ${issue('type', field, JSON_TYPE_SQL(type))} END`;
    const missingIssue = `CASE WHEN ${type} IS NULL OR ${type} = 'NULL' THEN ${issue('missing', field, 'NULL::VARCHAR')} END`;
    return column.nullable ? [typeIssue] : [typeIssue, missingIssue];
  });
  // Fields the contract ignores on purpose are neither read nor drift.
  const known = [...names, ...Object.keys(contract.ignoredFields)];
  const unknown = `list_transform(list_filter(list_distinct(json_keys(payload)), k -> NOT list_contains(${list(known.map(sqlString))}, k)), k -> ${issue('unknown', 'k', 'NULL::VARCHAR')})`;
  return `CREATE OR REPLACE TEMP TABLE drift_lines AS
    WITH payloads AS (
      -- json_extract of a line that is not an object gives NULL; a payload that is not an
      -- object is unreadable too.
      SELECT CASE WHEN json_valid(line) THEN json_extract(line, '$.payload') END AS payload
      FROM (${source})
    ), readable AS (
      SELECT CASE WHEN json_type(payload) = 'OBJECT' THEN payload END AS payload FROM payloads
    ), typed AS (
      SELECT payload, CASE WHEN payload IS NOT NULL THEN json_type(payload, ${list(paths)}) END AS types
      FROM readable
    )
    SELECT payload IS NULL AS unreadable,
      CASE WHEN payload IS NULL THEN []
        ELSE list_concat(${unknown}, list_filter([${checks.join(',\n          ')}], i -> i IS NOT NULL)) END AS issues
    FROM typed`;
}
