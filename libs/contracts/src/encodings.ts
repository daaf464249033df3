/**
 * How a raw (bronze) value encodes its silver value. The TypeScript validators and the PySpark
 * silver job must decode identically, so each encoding is spelled out here once and exported in
 * contracts.json with the patterns a Python implementation needs.
 */
/** A raw value's JSON type, as JSON names it (`null` is never listed: see SourceEncoding). */
export type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface SourceEncoding {
  readonly description: string;
  /**
   * The JSON types a raw value may take (null aside: a missing value is the nullable flag's
   * business). A value of another type is a type change at the source: the schema-drift check
   * (validate_schemas.py, and the same check in DuckDB locally) reports it.
   */
  readonly jsonTypes: readonly JsonType[];
  /**
   * Regular expression (ECMAScript, Python `re` and RE2 compatible) a string form must match in
   * full; both cleansings reject a string that does not as `invalid_value`.
   */
  readonly pattern?: string;
  /** `datetime.strptime` format for string forms, where one applies. */
  readonly pythonFormat?: string;
  /** Spark `to_date`/`to_timestamp` pattern, where one applies. */
  readonly sparkFormat?: string;
}

const YEAR_0100_TO_9999 = '(0[1-9]\\d{2}|[1-9]\\d{3})';

export const SOURCE_ENCODINGS = {
  json_string: { description: 'A JSON string, taken as is.', jsonTypes: ['string'] },
  json_number: {
    description: 'A finite JSON number. Integer columns (bigint) reject a fractional value.',
    jsonTypes: ['number'],
  },
  json_boolean: { description: 'A JSON boolean.', jsonTypes: ['boolean'] },
  numeric_string: {
    description:
      'A JSON number, or a JSON string holding a decimal number (FMP sends fiscalYear and fullTimeEmployees as strings). Any other string is rejected, except that an empty string means null in a nullable column. Integer columns reject a fractional value.',
    jsonTypes: ['number', 'string'],
    pattern: '^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$',
  },
  iso_date: {
    description:
      'A calendar date as the string YYYY-MM-DD (must exist: no 2025-02-30), in years 0100-9999. An empty string means null in a nullable column.',
    jsonTypes: ['string'],
    // Years below 100 are refused: JavaScript's Date reads them as 1900-1999 (fields/calendar.ts).
    pattern: `^${YEAR_0100_TO_9999}-\\d{2}-\\d{2}$`,
    pythonFormat: '%Y-%m-%d',
    sparkFormat: 'yyyy-MM-dd',
  },
  fmp_datetime: {
    description:
      'FMP\'s zone-less "YYYY-MM-DD HH:MM:SS", in years 0100-9999. Stored as the same wall-clock timestamp, without converting zones (FMP does not say which zone it means). An empty string means null in a nullable column.',
    jsonTypes: ['string'],
    pattern: `^${YEAR_0100_TO_9999}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$`,
    pythonFormat: '%Y-%m-%d %H:%M:%S',
    sparkFormat: 'yyyy-MM-dd HH:mm:ss',
  },
  unix_seconds: {
    description:
      'Whole seconds since 1970-01-01T00:00:00Z, as a JSON number: 0 to 253402300799 (9999-12-31T23:59:59Z); a negative number is rejected. Stored as a UTC timestamp.',
    jsonTypes: ['number'],
  },
  mongo_object_id: {
    description:
      'A MongoDB ObjectId: 24 hexadecimal characters, or extended JSON {"$oid": "<24 hex>"}; stored lowercase.',
    jsonTypes: ['object', 'string'],
    pattern: '^[0-9a-fA-F]{24}$',
  },
  mongo_date: {
    description:
      'An instant: an ISO-8601 string with a zone (Z or ±HH:MM), or extended JSON {"$date": <ISO string | epoch milliseconds | {"$numberLong": "<ms>"}>}; stored as a UTC timestamp.',
    jsonTypes: ['object', 'string'],
    pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
  },
  mongo_number: {
    description:
      'A finite JSON number, or extended JSON {"$numberDecimal" | "$numberDouble" | "$numberLong" | "$numberInt": "<decimal string>"}.',
    jsonTypes: ['number', 'object'],
    pattern: '^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$',
  },
  pipeline: {
    description: 'Not read from the record: the pipeline adds it when writing silver.',
    jsonTypes: [],
  },
} as const satisfies Record<string, SourceEncoding>;

export type SourceEncodingName = keyof typeof SOURCE_ENCODINGS;
