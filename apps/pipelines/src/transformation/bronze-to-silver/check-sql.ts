import type { DatasetContract } from '@finks/contracts';
import {
  columnSql,
  duckdbType,
  ident,
  invariantPath,
  invariantViolationSql,
  sqlString,
} from './contract-sql';

// The bronze read and the `checked` table of the DuckDB cleansing: every line with its typed
// values and its reasons (none: the row goes on to silver).

const MESSAGES: Readonly<Record<string, string>> = {
  required: 'is required',
  invalid_type: 'has the wrong JSON type',
  invalid_value: 'is not a valid value',
};

export function linesSql(paths: readonly string[]): string {
  if (paths.length === 0)
    return 'SELECT NULL::VARCHAR AS line, NULL::VARCHAR AS bronze_batch WHERE FALSE';
  // One VARCHAR per line: a NUL delimiter and no quoting keep DuckDB's CSV reader from
  // interpreting JSON (NUL cannot appear unescaped in JSON text).
  // `bronze_batch` is `<bronze dt>/run=<runId>`: rejects are quarantined per bronze batch.
  // The buffer is one maximal line (64 MiB), not DuckDB's default of 16 of them: each reading
  // thread reserves a 1 GiB buffer otherwise, which a lane's memory limit must hold
  // (duckdb-budget.ts; 512 MiB refused it).
  // strict_mode off: a lone \r in an LF file then ends a line, as it does for Spark (the Glue
  // job), instead of failing the whole read (conformance tests; no cost measured on the bench).
  return `SELECT line,
      regexp_extract(filename, '/dt=(\\d{4}-\\d{2}-\\d{2}/run=[^/]+)/', 1) AS bronze_batch
    FROM read_csv([${paths.map(sqlString).join(', ')}], columns = {'line': 'VARCHAR'},
      delim = chr(0), quote = '', escape = '', header = false, auto_detect = false,
      compression = 'gzip', filename = true, max_line_size = 67108864, buffer_size = 67108864,
      strict_mode = false)
    WHERE line IS NOT NULL AND line <> ''`;
}

function reasonSql(path: string, code: string, message: string): string {
  return `{'path': ${path}, 'code': ${code}, 'message': ${message}}`;
}

/**
 * The `from_json` structure that reads, in one parse per line, the envelope fields and the
 * payload fields the contract uses, each as JSON text (so the conversions below see the same
 * value `json_extract` would give, and decide its type themselves).
 */
function envelopeStructure(contract: DatasetContract): string {
  const payload = Object.fromEntries(
    contract.columns
      .filter((column) => column.sourceField !== null)
      .map((column) => [column.sourceField ?? column.name, 'JSON']),
  );
  return JSON.stringify({ fetched_at: 'JSON', run_id: 'JSON', source_offset: 'JSON', payload });
}

/**
 * The instant of `json` when it is the connector's own shape, `YYYY-MM-DDTHH:MM:SS.sssZ`
 * (`Date.toISOString`), else NULL: one regex and a cast instead of the general ISO-8601
 * conversion's dozen regex calls. NULL sends the value to that conversion, which also tells why
 * a value is wrong, so both give the same instants and the same errors.
 */
function fastInstant(json: string): string {
  const text = `json_extract_string(${json}, '$')`;
  const shape = sqlString('^\\d{4}-\\d{2}-\\d{2}T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d\\.\\d{3}Z$');
  return `(CASE WHEN json_type(${json}) = 'VARCHAR' AND regexp_full_match(${text}, ${shape}) AND NOT starts_with(${text}, '0000') THEN TRY_CAST(left(${text}, 23) AS TIMESTAMP) END)`;
}

/**
 * SQL that checks every bronze line of `source` (`bronze_batch`, `line`) against the contract into
 * the `checked` table.
 *
 * Speed (issue #7): each line is parsed once, by `from_json`, into small JSON values; the checks
 * then read those, not the line. `from_json` cannot tell a line that is not an object, or a
 * payload that is not one, from an object without the fields, so only lines where it found none
 * are asked again with `json_type`. Each value's `json_type` is taken once (the conversions test
 * it many times). `fetched_at` in the connector's own shape takes a quick path (fastInstant):
 * the general ISO-8601 check costs a dozen regex calls per row. Converting each distinct
 * `fetched_at` once and joining it back, as before, cost more than the check: the join carried
 * every column of 1.26 M rows (issue #7: the eod check went from 6.8 to 5.0 s).
 */
export function checkSql(contract: DatasetContract, source: string): string {
  const data = contract.columns.filter((column) => column.sourceField !== null);
  const valueOf = (name: string) => ident(`v:${name}`);
  const errorOf = (name: string) => ident(`e:${name}`);
  const fetchedSql = columnSql(
    {
      name: 'ingested_at',
      type: 'timestamp',
      nullable: false,
      description: '',
      sourceField: 'fetched_at',
      encoding: 'mongo_date',
    },
    'fetched',
  );
  const typeOf = (name: string) => ident(`t:${name}`);
  const textOf = (name: string) => ident(`s:${name}`);
  const converted = data.map((column) => {
    const sql = columnSql(column, valueOf(column.name), {
      type: typeOf(column.name),
      text: textOf(column.name),
    });
    return `CASE WHEN payload_ok THEN ${sql.error} ELSE 'invalid_envelope' END AS ${errorOf(column.name)},
      ${sql.value} AS ${ident(column.name)}`;
  });
  const fieldReasons = data.map(
    (column) =>
      `CASE WHEN payload_ok AND ${errorOf(column.name)} IS NOT NULL THEN ${reasonSql(
        sqlString(column.sourceField ?? column.name),
        errorOf(column.name),
        `${sqlString(`${column.encoding} → ${column.type}: `)} || CASE ${errorOf(column.name)} ${Object.entries(
          MESSAGES,
        )
          .map(([code, message]) => `WHEN ${sqlString(code)} THEN ${sqlString(message)}`)
          .join(' ')} ELSE '' END`,
      )} END`,
  );
  const invariantReasons = contract.invariants.map(
    (invariant) =>
      `CASE WHEN payload_ok AND ${invariantViolationSql(invariant, errorOf)} THEN ${reasonSql(
        sqlString(invariantPath(contract, invariant)),
        "'invariant'",
        sqlString(`${invariant.description} (invariant ${invariant.name})`),
      )} END`,
  );
  const reasons = [
    `CASE WHEN NOT valid_json THEN ${reasonSql("''", "'invalid_json'", "'the line is not JSON'")} END`,
    `CASE WHEN valid_json AND NOT is_object THEN ${reasonSql("''", "'invalid_envelope'", "'the line is not a JSON object'")} END`,
    `CASE WHEN is_object AND fetched_error IS NOT NULL THEN ${reasonSql("'fetched_at'", "'invalid_envelope'", "'fetched_at is not an ISO-8601 instant'")} END`,
    `CASE WHEN is_object AND ingestion_run_id IS NULL THEN ${reasonSql("'run_id'", "'invalid_envelope'", "'run_id is missing'")} END`,
    `CASE WHEN is_object AND NOT payload_ok THEN ${reasonSql("'payload'", "'invalid_envelope'", "'payload is not a JSON object'")} END`,
    ...fieldReasons,
    ...invariantReasons,
  ];
  const anyField = data.map((column) => `${valueOf(column.name)} IS NOT NULL`).join(' OR ');
  return `CREATE OR REPLACE TEMP TABLE checked AS
    WITH read AS (
      SELECT bronze_batch, line, try(from_json(line, ${sqlString(envelopeStructure(contract))})) AS r
      FROM (${source})
    ), parsed AS (
      -- from_json fails exactly where json_valid is false, so only the lines it gave nothing
      -- for are validated again.
      SELECT *, CASE WHEN r IS NOT NULL THEN TRUE ELSE json_valid(line) END AS valid_json FROM read
    ), fields AS (
      SELECT bronze_batch, line, valid_json, r.fetched_at AS fetched, r.run_id AS run_json,
        r.source_offset AS offset_json, r.payload IS NOT NULL AS has_payload,
        ${data.map((column) => `r.payload[${sqlString(column.sourceField ?? column.name)}] AS ${valueOf(column.name)}`).join(',\n        ')}
      FROM parsed
    ), envelope AS (
      SELECT *,
        CASE WHEN NOT valid_json THEN FALSE
          WHEN fetched IS NOT NULL OR run_json IS NOT NULL OR offset_json IS NOT NULL OR has_payload THEN TRUE
          ELSE coalesce(json_type(line) = 'OBJECT', FALSE) END AS is_object
      FROM fields
    ), flagged AS (
      SELECT *,
        CASE WHEN ${anyField === '' ? 'FALSE' : anyField} THEN TRUE
          WHEN is_object THEN coalesce(json_type(line, '$.payload') = 'OBJECT', FALSE)
          ELSE FALSE END AS payload_ok
      FROM envelope
    ), typed AS (
      SELECT *, ${data.map((column) => `json_type(${valueOf(column.name)}) AS ${typeOf(column.name)}`).join(', ')}
      FROM flagged
    ), texted AS (
      SELECT *, ${data.map((column) => `CASE WHEN ${typeOf(column.name)} = 'VARCHAR' THEN json_extract_string(${valueOf(column.name)}, '$') END AS ${textOf(column.name)}`).join(', ')}
      FROM typed
    ), converted AS (
      SELECT texted.*,
        CASE WHEN fast_ingested_at IS NOT NULL THEN NULL
          WHEN coalesce(json_type(fetched) = 'VARCHAR', FALSE) THEN ${fetchedSql.error} ELSE 'invalid_envelope' END AS fetched_error,
        coalesce(fast_ingested_at, ${fetchedSql.value}) AS ingested_at,
        CASE WHEN json_type(run_json) = 'VARCHAR' AND json_extract_string(run_json, '$') <> '' THEN json_extract_string(run_json, '$') END AS ingestion_run_id,
        CASE WHEN json_type(offset_json) = 'VARCHAR' THEN json_extract_string(offset_json, '$') END AS source_offset,
        ${converted.join(',\n      ')}
      FROM (SELECT *, ${fastInstant('fetched')} AS fast_ingested_at FROM texted) AS texted
    ), checked AS (
      SELECT bronze_batch, line, source_offset,
        ${contract.columns.map((column) => `CAST(${ident(column.name)} AS ${duckdbType(column)}) AS ${ident(column.name)}`).join(', ')},
        list_filter([${reasons.join(',\n        ')}], r -> r IS NOT NULL) AS reasons
      FROM converted
    )
    -- Only rejects keep their line and batch (for quarantine): a large load's need not stay in memory.
    SELECT * REPLACE (CASE WHEN len(reasons) > 0 THEN line END AS line,
      CASE WHEN len(reasons) > 0 THEN bronze_batch END AS bronze_batch) FROM checked`;
}
