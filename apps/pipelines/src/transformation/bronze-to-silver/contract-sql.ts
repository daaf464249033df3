import {
  SOURCE_ENCODINGS,
  invariantToSql,
  type SourceEncoding,
  type DatasetContract,
  type Invariant,
  type SilverColumn,
} from '@finks/contracts';

// The contract as DuckDB SQL: one checked conversion per column, then the invariants. These are
// the rules of glue_scripts/finks_silver.py (the Glue job's reference), written for DuckDB's
// JSON reader; glue_scripts/tests/test_conformance.py proves both give the same silver.

/** Python datetimes hold years 1–9999; DuckDB's hold more, so both engines cap here. */
const MIN_MICROS = -62_135_596_800_000_000n;
const MAX_MICROS = 253_402_300_799_999_999n;
const NUMBER_TYPES = "('BIGINT', 'UBIGINT', 'DOUBLE')";
const ISO_INSTANT =
  '^(\\d{4}-\\d{2}-\\d{2})T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?(Z|([+-])(\\d{2}):(\\d{2}))$';
const EMPTY_MEANS_NULL = new Set(['numeric_string', 'iso_date', 'fmp_datetime']);
const EXTENDED_NUMBER_KEYS = ['$numberDecimal', '$numberDouble', '$numberLong', '$numberInt'];

export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function pattern(encoding: keyof typeof SOURCE_ENCODINGS): string {
  const spec: SourceEncoding = SOURCE_ENCODINGS[encoding];
  if (spec.pattern === undefined) throw new Error(`encoding ${encoding} has no pattern`);
  return sqlString(spec.pattern);
}

/** `$."<field>"` for json_extract. */
function jsonPath(...keys: string[]): string {
  return sqlString(`$.${keys.map((key) => `"${key.replaceAll('"', '\\"')}"`).join('.')}`);
}

/** A column's conversion: the SQL error code (NULL when fine) and the typed value. */
export interface ColumnSql {
  readonly error: string;
  readonly value: string;
}

const typeOf = (json: string) => `json_type(${json})`;
const stringOf = (json: string) => `json_extract_string(${json}, '$')`;

/**
 * `condition AND check`, with `check` evaluated only where `condition` holds. DuckDB evaluates
 * both sides of an AND in a projection for every row, and the checks of one representation (the
 * ISO-8601 instant's dozen regex calls) are expensive for rows of another (issue #7: they cost
 * 95 µs per transaction).
 */
function onlyWhere(condition: string, check: string): string {
  return `(CASE WHEN ${condition} THEN ${check} ELSE FALSE END)`;
}

/** Tries in order; the first `when` that holds gives the error code (`null`: the value is fine). */
function firstError(checks: readonly (readonly [string, string])[]): string {
  return `CASE ${checks.map(([when, code]) => `WHEN ${when} THEN ${code}`).join(' ')} ELSE NULL END`;
}

function finiteDouble(expr: string): string {
  return `coalesce(isfinite(${expr}), FALSE)`;
}

// 2^63 as a double; 9223372036854775807.0 rounds up to it, so the upper bound is exclusive.
function inInt64Range(double: string): string {
  return `(${double} >= -9223372036854775808.0 AND ${double} < 9223372036854775808.0)`;
}

/** Every cast that could fail is a TRY_CAST: DuckDB may evaluate a CASE branch for rows another
 * branch has already rejected. */
function tryCast(expr: string, type: string): string {
  return `TRY_CAST(${expr} AS ${type})`;
}

/** Seconds or milliseconds (BIGINT or DOUBLE JSON) in range and whole, as micros. */
function wholeNumber(json: string, type: string): { ok: string; int: string } {
  const d = tryCast(json, 'DOUBLE');
  return {
    // DuckDB's reader types non-negative integers UBIGINT, negative ones BIGINT.
    ok: `((${type} IN ('BIGINT', 'UBIGINT') AND ${tryCast(json, 'BIGINT')} IS NOT NULL) OR (${type} = 'DOUBLE' AND ${finiteDouble(d)} AND ${d} = trunc(${d}) AND ${inInt64Range(d)}))`,
    int: `(CASE WHEN ${type} IN ('BIGINT', 'UBIGINT') THEN ${tryCast(json, 'BIGINT')} ELSE ${tryCast(d, 'BIGINT')} END)`,
  };
}

/** ISO-8601 with a zone to micros since the epoch (UTC), or NULL when not a real instant. */
function instantMicros(text: string): string {
  const group = (n: number) => `regexp_extract(${text}, ${sqlString(ISO_INSTANT)}, ${n})`;
  const int = (n: number) => `TRY_CAST(NULLIF(${group(n)}, '') AS BIGINT)`;
  const day = `TRY_CAST(${group(1)} AS DATE)`;
  const seconds = `coalesce(${int(4)}, 0)`;
  const fraction = tryCast(`rpad(left(${group(5)}, 6), 6, '0')`, 'BIGINT');
  const offsetMinutes = `(CASE WHEN ${group(6)} = 'Z' THEN 0 WHEN ${group(7)} = '-' THEN -1 ELSE 1 END) * (coalesce(${int(8)}, 0) * 60 + coalesce(${int(9)}, 0))`;
  const valid = `regexp_full_match(${text}, ${sqlString(ISO_INSTANT)}) AND ${day} IS NOT NULL AND year(${day}) >= 1 AND ${int(2)} <= 23 AND ${int(3)} <= 59 AND ${seconds} <= 59 AND coalesce(${int(8)}, 0) <= 23 AND coalesce(${int(9)}, 0) <= 59`;
  const micros = `epoch_us(CAST(${day} AS TIMESTAMP)) + ((${int(2)} * 60 + ${int(3)}) * 60 + ${seconds}) * 1000000 + ${fraction} - (${offsetMinutes}) * 60000000`;
  return `(CASE WHEN ${valid} THEN ${micros} END)`;
}

function inMicrosRange(micros: string): string {
  return `${micros} BETWEEN ${MIN_MICROS} AND ${MAX_MICROS}`;
}

function timestampFromMicros(micros: string): string {
  return `make_timestamp(${tryCast(`CASE WHEN ${inMicrosRange(micros)} THEN ${micros} END`, 'BIGINT')})`;
}

const NOT_SUPPORTED = (column: SilverColumn) =>
  new Error(
    `column ${column.name}: ${column.type} from ${column.encoding} is not supported by the DuckDB cleansing; add it here and in glue_scripts/finks_silver.py`,
  );

/** A number's text (JSON number or decimal string) as the silver number type, or NULL. */
function numberFromText(column: SilverColumn, text: string): { ok: string; value: string } {
  const d = `TRY_CAST(${text} AS DOUBLE)`;
  if (column.type === 'double') return { ok: `${finiteDouble(d)}`, value: d };
  if (column.type === 'bigint') {
    return {
      ok: `${finiteDouble(d)} AND ${d} = trunc(${d}) AND ${inInt64Range(d)}`,
      value: tryCast(d, 'BIGINT'),
    };
  }
  if (column.type.startsWith('decimal(')) {
    const cast = `TRY_CAST(${text} AS ${column.type.toUpperCase()})`;
    const [precision = 38, scale = 0] = (column.type.match(/\d+/g) ?? []).map(Number);
    // DuckDB's cast lets a mantissa-and-exponent text overflow the precision; check the size.
    return {
      ok: `${cast} IS NOT NULL AND abs(${tryCast(text, 'DOUBLE')}) < 1e${precision - scale}`,
      value: cast,
    };
  }
  throw NOT_SUPPORTED(column);
}

/**
 * Expressions already computed for a raw value, so a query can evaluate them once per row where
 * the conversion reads them many times (DuckDB re-parses the JSON at every `json_type`).
 */
export interface KnownJson {
  /** `json_type(<json>)`. */
  readonly type: string;
  /** `json_extract_string(<json>, '$')` where the type is `VARCHAR`; anything (NULL) elsewhere. */
  readonly text: string;
}

/**
 * The checked conversion of one raw JSON value (`json`, NULL when the field is absent) into the
 * column's silver type. Error codes: `required`, `invalid_type`, `invalid_value`.
 */
export function columnSql(column: SilverColumn, json: string, known?: KnownJson): ColumnSql {
  const t = known?.type ?? typeOf(json);
  // Read only where the type is VARCHAR: the checks test the type first (a CASE stops at the
  // first WHEN that holds), and a value of a rejected row is never used.
  const s = known?.text ?? stringOf(json);
  const absent = `(${json} IS NULL OR ${t} = 'NULL')`;
  const emptyIsNull = EMPTY_MEANS_NULL.has(column.encoding);
  const missing = emptyIsNull ? `(${absent} OR (${t} = 'VARCHAR' AND ${s} = ''))` : absent;
  const nullCheck = [missing, column.nullable ? 'NULL' : "'required'"] as const;
  let checks: (readonly [string, string])[];
  let value: string;

  switch (column.encoding) {
    case 'json_string': {
      checks = [[`${t} <> 'VARCHAR'`, "'invalid_type'"]];
      if (column.allowedValues) {
        checks.push([
          `${s} NOT IN (${column.allowedValues.map(sqlString).join(', ')})`,
          "'invalid_value'",
        ]);
      }
      if (column.pattern !== undefined) {
        checks.push([
          `NOT regexp_full_match(${s}, ${sqlString(column.pattern)})`,
          "'invalid_value'",
        ]);
      }
      if (column.type !== 'string') throw NOT_SUPPORTED(column);
      value = s;
      break;
    }
    case 'json_boolean':
      if (column.type !== 'boolean') throw NOT_SUPPORTED(column);
      checks = [[`${t} <> 'BOOLEAN'`, "'invalid_type'"]];
      value = tryCast(json, 'BOOLEAN');
      break;
    case 'json_number':
    case 'numeric_string': {
      const acceptsString = column.encoding === 'numeric_string';
      const isString = acceptsString ? `${t} = 'VARCHAR'` : 'FALSE';
      checks = [[`NOT (${t} IN ${NUMBER_TYPES} OR ${isString})`, "'invalid_type'"]];
      if (acceptsString) {
        checks.push([
          `${isString} AND NOT regexp_full_match(${s}, ${pattern('numeric_string')})`,
          "'invalid_value'",
        ]);
      }
      if (column.type === 'bigint') {
        // An exact int64 when the JSON holds one; otherwise through a double, as Python does.
        const fromText = numberFromText(column, s);
        const whole = wholeNumber(json, t);
        checks.push([
          `NOT CASE WHEN ${isString} THEN ${fromText.ok} ELSE ${whole.ok} END`,
          "'invalid_value'",
        ]);
        value = `CASE WHEN ${isString} THEN ${fromText.value} ELSE ${whole.int} END`;
      } else if (column.type === 'double') {
        const d = `CASE WHEN ${isString} THEN ${tryCast(s, 'DOUBLE')} ELSE ${tryCast(json, 'DOUBLE')} END`;
        checks.push([`NOT ${finiteDouble(d)}`, "'invalid_value'"]);
        value = d;
      } else if (column.type.startsWith('decimal(')) {
        const text = `CASE WHEN ${isString} THEN ${s} ELSE (${json})::VARCHAR END`;
        const number = numberFromText(column, text);
        checks.push([
          `${t} = 'DOUBLE' AND NOT ${finiteDouble(tryCast(json, 'DOUBLE'))}`,
          "'invalid_value'",
        ]);
        checks.push([`NOT (${number.ok})`, "'invalid_value'"]);
        value = number.value;
      } else throw NOT_SUPPORTED(column);
      break;
    }
    case 'iso_date': {
      if (column.type !== 'date') throw NOT_SUPPORTED(column);
      const day = `TRY_CAST(${s} AS DATE)`;
      checks = [
        [`${t} <> 'VARCHAR'`, "'invalid_type'"],
        [`NOT regexp_full_match(${s}, ${pattern('iso_date')})`, "'invalid_value'"],
        [`${day} IS NULL OR year(${day}) < 1`, "'invalid_value'"],
      ];
      value = day;
      break;
    }
    case 'fmp_datetime': {
      if (column.type !== 'timestamp') throw NOT_SUPPORTED(column);
      const ts = `TRY_STRPTIME(${s}, '%Y-%m-%d %H:%M:%S')`;
      checks = [
        [`${t} <> 'VARCHAR'`, "'invalid_type'"],
        [`NOT regexp_full_match(${s}, ${pattern('fmp_datetime')})`, "'invalid_value'"],
        [`${ts} IS NULL OR year(${ts}) < 1`, "'invalid_value'"],
      ];
      value = ts;
      break;
    }
    case 'unix_seconds': {
      if (column.type !== 'timestamp') throw NOT_SUPPORTED(column);
      const whole = wholeNumber(json, t);
      const micros = `(${whole.int}::HUGEINT * 1000000)`;
      checks = [
        [`${t} NOT IN ${NUMBER_TYPES}`, "'invalid_type'"],
        [`NOT ${whole.ok}`, "'invalid_value'"],
        // Unix seconds count from 1970, as the contract's unixSeconds() says: none are negative.
        [`NOT coalesce(${micros} BETWEEN 0 AND ${MAX_MICROS}, FALSE)`, "'invalid_value'"],
      ];
      value = timestampFromMicros(micros);
      break;
    }
    case 'mongo_object_id': {
      if (column.type !== 'string') throw NOT_SUPPORTED(column);
      const oidJson = `json_extract(${json}, ${jsonPath('$oid')})`;
      const oid = `(CASE WHEN ${t} = 'VARCHAR' THEN ${s} WHEN ${t} = 'OBJECT' AND ${typeOf(oidJson)} = 'VARCHAR' THEN ${stringOf(oidJson)} END)`;
      checks = [
        [`${oid} IS NULL`, "'invalid_type'"],
        [`NOT regexp_full_match(${oid}, ${pattern('mongo_object_id')})`, "'invalid_value'"],
      ];
      value = `lower(${oid})`;
      break;
    }
    case 'mongo_date': {
      if (column.type !== 'timestamp') throw NOT_SUPPORTED(column);
      const inner = `(CASE WHEN ${t} = 'OBJECT' THEN json_extract(${json}, ${jsonPath('$date')}) ELSE ${json} END)`;
      const innerType = typeOf(inner);
      const longJson = `json_extract(${inner}, ${jsonPath('$numberLong')})`;
      const isIso = `${innerType} = 'VARCHAR'`;
      const isLong = `${innerType} = 'OBJECT' AND ${typeOf(longJson)} = 'VARCHAR'`;
      const isMillis = `${t} = 'OBJECT' AND ${innerType} IN ${NUMBER_TYPES}`;
      const longText = stringOf(longJson);
      const whole = wholeNumber(inner, innerType);
      const millis = `(CASE WHEN ${isLong} THEN ${tryCast(longText, 'HUGEINT')} ELSE ${whole.int}::HUGEINT END)`;
      const millisMicros = `(${millis} * 1000)`;
      const iso = instantMicros(stringOf(inner));
      checks = [
        [`NOT (${isIso} OR ${isLong} OR ${isMillis})`, "'invalid_type'"],
        [onlyWhere(isIso, `${iso} IS NULL OR NOT ${inMicrosRange(iso)}`), "'invalid_value'"],
        [
          onlyWhere(isLong, `NOT regexp_full_match(${longText}, '^-?\\d{1,19}$')`),
          "'invalid_value'",
        ],
        [onlyWhere(isMillis, `NOT ${whole.ok}`), "'invalid_value'"],
        [
          onlyWhere(`NOT ${isIso}`, `NOT coalesce(${inMicrosRange(millisMicros)}, FALSE)`),
          "'invalid_value'",
        ],
      ];
      value = timestampFromMicros(`(CASE WHEN ${isIso} THEN ${iso} ELSE ${millisMicros} END)`);
      break;
    }
    case 'mongo_number': {
      const present = EXTENDED_NUMBER_KEYS.map((key) => `json_exists(${json}, ${jsonPath(key)})`);
      const count = present.map((p) => `CAST(${p} AS INTEGER)`).join(' + ');
      const extended = `coalesce(${EXTENDED_NUMBER_KEYS.map((key) => `json_extract(${json}, ${jsonPath(key)})`).join(', ')})`;
      const isExtended = `${t} = 'OBJECT' AND ${count} = 1 AND ${typeOf(extended)} = 'VARCHAR'`;
      const text = `(CASE WHEN ${t} = 'OBJECT' THEN ${stringOf(extended)} ELSE (${json})::VARCHAR END)`;
      const number = numberFromText(column, text);
      checks = [
        [`NOT (${t} IN ${NUMBER_TYPES} OR (${isExtended}))`, "'invalid_type'"],
        [
          `${t} = 'OBJECT' AND NOT regexp_full_match(${text}, ${pattern('mongo_number')})`,
          "'invalid_value'",
        ],
        [`${t} = 'DOUBLE' AND NOT ${finiteDouble(tryCast(json, 'DOUBLE'))}`, "'invalid_value'"],
        [`NOT (${number.ok})`, "'invalid_value'"],
      ];
      value = number.value;
      break;
    }
    case 'pipeline':
      throw new Error(`column ${column.name} is added by the pipeline, not read from the record`);
  }
  const error = firstError([nullCheck, ...checks]);
  return { error, value: `CASE WHEN ${missing} THEN NULL ELSE ${value} END` };
}

export function invariantColumnNames(invariant: Invariant): string[] {
  const names = new Set<string>();
  for (const condition of [invariant.when, invariant.require]) {
    if (condition === undefined) continue;
    names.add(condition.column);
    if (condition.op === 'compare' && 'column' in condition.right) {
      names.add(condition.right.column);
    }
  }
  return [...names];
}

/** TRUE when the row breaks the invariant and every column it reads converted. */
export function invariantViolationSql(
  invariant: Invariant,
  failedColumn: (name: string) => string,
) {
  const untouched = invariantColumnNames(invariant)
    .map((name) => `${failedColumn(name)} IS NULL`)
    .join(' AND ');
  return `(${untouched} AND NOT coalesce((${invariantToSql(invariant)}), TRUE))`;
}

/** The column of the reason an invariant reports: the raw field of the column it requires. */
export function invariantPath(contract: DatasetContract, invariant: Invariant): string {
  const required = contract.columns.find((column) => column.name === invariant.require.column);
  return required?.sourceField ?? invariant.require.column;
}

export function duckdbType(column: SilverColumn): string {
  return column.type === 'string' ? 'VARCHAR' : column.type.toUpperCase();
}
