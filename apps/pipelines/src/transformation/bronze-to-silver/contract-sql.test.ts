import { DuckDBInstance } from '@duckdb/node-api';
import type { SilverColumn } from '@finks/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnSql, sqlString } from './contract-sql';

// Spot checks of single conversions; the full agreement with the Glue job is proven by
// glue_scripts/tests/test_conformance.py.

let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
});
afterAll(() => {
  instance.closeSync();
});

const column = (
  encoding: SilverColumn['encoding'],
  type: SilverColumn['type'],
  nullable = true,
): SilverColumn => ({ name: 'c', type, nullable, description: '', sourceField: 'c', encoding });

/** The error code and value (as text) of converting the JSON `raw` (undefined: absent). */
async function convert(target: SilverColumn, raw: string | undefined) {
  const json = raw === undefined ? 'NULL::JSON' : `${sqlString(raw)}::JSON`;
  const sql = columnSql(target, 'v');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT ${sql.error} AS error, CAST(${sql.value} AS VARCHAR) AS value FROM (SELECT ${json} AS v)`,
    );
    return reader.getRowObjectsJson()[0];
  } finally {
    connection.closeSync();
  }
}

describe('columnSql', () => {
  it('checks numbers', async () => {
    expect(await convert(column('json_number', 'bigint'), '5')).toEqual({
      error: null,
      value: '5',
    });
    expect(await convert(column('json_number', 'bigint'), '5.0')).toEqual({
      error: null,
      value: '5',
    });
    expect(await convert(column('json_number', 'bigint'), '-5')).toEqual({
      error: null,
      value: '-5',
    });
    expect((await convert(column('json_number', 'bigint'), '5.5'))?.['error']).toBe(
      'invalid_value',
    );
    expect((await convert(column('json_number', 'bigint'), '9223372036854775808'))?.['error']).toBe(
      'invalid_value',
    );
    expect((await convert(column('json_number', 'double'), '"5"'))?.['error']).toBe('invalid_type');
    expect((await convert(column('json_number', 'double'), 'true'))?.['error']).toBe(
      'invalid_type',
    );
    expect(await convert(column('numeric_string', 'bigint'), '"2024"')).toEqual({
      error: null,
      value: '2024',
    });
    expect(await convert(column('numeric_string', 'bigint'), '""')).toEqual({
      error: null,
      value: null,
    });
    expect((await convert(column('numeric_string', 'bigint', false), '""'))?.['error']).toBe(
      'required',
    );
    expect((await convert(column('json_number', 'double', false), undefined))?.['error']).toBe(
      'required',
    );
  });

  it('checks dates and instants', async () => {
    expect(await convert(column('iso_date', 'date'), '"2024-02-29"')).toEqual({
      error: null,
      value: '2024-02-29',
    });
    expect((await convert(column('iso_date', 'date'), '"2025-02-29"'))?.['error']).toBe(
      'invalid_value',
    );
    expect(await convert(column('unix_seconds', 'timestamp'), '0')).toEqual({
      error: null,
      value: '1970-01-01 00:00:00',
    });
    expect(
      await convert(column('mongo_date', 'timestamp'), '"2026-01-01T00:30:00.1234567+01:00"'),
    ).toEqual({
      error: null,
      value: '2025-12-31 23:30:00.123456',
    });
    expect(
      await convert(column('mongo_date', 'timestamp'), '{"$date": {"$numberLong": "-1"}}'),
    ).toEqual({
      error: null,
      value: '1969-12-31 23:59:59.999',
    });
    expect((await convert(column('mongo_date', 'timestamp'), '1000'))?.['error']).toBe(
      'invalid_type',
    );
    expect(
      (await convert(column('mongo_date', 'timestamp'), '"2026-01-01T00:30:00"'))?.['error'],
    ).toBe('invalid_value');
  });

  it('checks MongoDB ids and decimals', async () => {
    expect(
      await convert(column('mongo_object_id', 'string'), '{"$oid": "65A1B2C3D4E5F60718293A4B"}'),
    ).toEqual({
      error: null,
      value: '65a1b2c3d4e5f60718293a4b',
    });
    const amount = column('mongo_number', 'decimal(38,9)');
    expect(await convert(amount, '{"$numberDecimal": "-0.0000000005"}')).toEqual({
      error: null,
      value: '-0.000000001',
    });
    expect((await convert(amount, '{"$numberDecimal": "1e29"}'))?.['error']).toBe('invalid_value');
    expect((await convert(amount, '{"$numberDecimal": "1", "$numberInt": "1"}'))?.['error']).toBe(
      'invalid_type',
    );
  });
});
