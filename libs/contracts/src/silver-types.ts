/**
 * Column types every engine on the platform reads the same way: Spark (the Glue job writing
 * silver), Glue Data Catalog / Athena (querying it) and DuckDB (the local lake). Anything more
 * exotic (arrays, structs, timestamps with zones) is kept out of silver on purpose.
 */
export const SILVER_SCALAR_TYPES = [
  'string',
  'bigint',
  'double',
  'boolean',
  'date',
  'timestamp',
] as const;

export type SilverScalarType = (typeof SILVER_SCALAR_TYPES)[number];
export type SilverDecimalType = `decimal(${number},${number})`;
export type SilverType = SilverScalarType | SilverDecimalType;

/** `decimal(p,s)`; Athena, Spark and DuckDB all cap precision at 38. */
export function decimal(precision: number, scale: number): SilverDecimalType {
  if (!Number.isInteger(precision) || precision < 1 || precision > 38) {
    throw new RangeError(`decimal precision must be 1-38, got ${precision}`);
  }
  if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
    throw new RangeError(`decimal scale must be 0-${precision}, got ${scale}`);
  }
  return `decimal(${precision},${scale})`;
}

export function isSilverType(value: string): value is SilverType {
  const match = /^decimal\((\d+),(\d+)\)$/.exec(value);
  if (match) {
    const [precision, scale] = [Number(match[1]), Number(match[2])];
    return precision >= 1 && precision <= 38 && scale <= precision;
  }
  return (SILVER_SCALAR_TYPES as readonly string[]).includes(value);
}
