import { DuckDBInstance } from '@duckdb/node-api';
import { CONTRACTS, SOURCE_ENCODINGS, findContractById, type SilverColumn } from '@finks/contracts';
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

/** A real contract's column, so the pattern checked is the one contracts.json carries. */
function contractColumn(id: string, name: string): SilverColumn {
  const found = findContractById(id).columns.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`${id} has no column ${name}`);
  return found;
}

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
    expect((await convert(column('unix_seconds', 'timestamp'), '-0.0'))?.['error']).toBeNull();
    // Unix seconds start at 1970 (the contract's unixSeconds() has min 0).
    for (const negative of ['-1', '-1.0', '-62135596800']) {
      expect((await convert(column('unix_seconds', 'timestamp'), negative))?.['error']).toBe(
        'invalid_value',
      );
    }
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

  it('refuses years below 100, as the contract does', async () => {
    // JavaScript's Date reads years 0-99 as 1900-1999, so the field specs refuse them.
    const date = column('iso_date', 'date');
    const dateTime = column('fmp_datetime', 'timestamp');
    expect((await convert(date, '"0099-01-02"'))?.['error']).toBe('invalid_value');
    expect(await convert(date, '"0100-01-01"')).toEqual({ error: null, value: '0100-01-01' });
    expect((await convert(dateTime, '"0050-01-01 00:00:00"'))?.['error']).toBe('invalid_value');
    expect(await convert(dateTime, '"0100-01-01 00:00:00"')).toEqual({
      error: null,
      value: '0100-01-01 00:00:00',
    });
  });

  it.each([
    {
      column: contractColumn('fmp.eod_prices', 'symbol'),
      valid: ['AAPL', 'BRK-B', '^GSPC', 'SHOP.TO', 'EURUSD=X'],
      invalid: ['AA PL', '', '-X', 'AAPL\n', 'été', 'A'.repeat(31)],
    },
    {
      column: contractColumn('fmp.news', 'url'),
      valid: ['https://example.com/a?b=c#d', 'http://a', 'https://a.com/ü'],
      invalid: [
        'ftp://example.com/e',
        'not a url',
        'http://',
        'https://a.com/ b',
        'https://a.com/\t',
        'https://a.com/\u007f',
        'HTTP://A.COM',
      ],
    },
    {
      column: contractColumn('mongodb.portfolios', 'base_currency'),
      valid: ['CAD', 'USD'],
      invalid: ['cad', 'CA1', 'CADX', 'CA', 'CAD\n'],
    },
  ])(
    'takes only what the pattern of $column.name matches',
    async ({ column: target, valid, invalid }) => {
      expect(target.pattern).toBeDefined();
      for (const value of valid) {
        expect(await convert(target, JSON.stringify(value))).toEqual({ error: null, value });
      }
      for (const value of invalid) {
        expect((await convert(target, JSON.stringify(value)))?.['error'], value).toBe(
          'invalid_value',
        );
      }
      // The type is checked first.
      expect((await convert(target, '5'))?.['error']).toBe('invalid_type');
    },
  );

  it('compiles every pattern contracts.json carries in RE2, as a row-by-row check', async () => {
    const patterns = [
      ...CONTRACTS.flatMap((contract) => contract.columns.map((c) => c.pattern)),
      ...Object.values(SOURCE_ENCODINGS).map((encoding) =>
        'pattern' in encoding ? encoding.pattern : undefined,
      ),
    ].filter((pattern): pattern is string => pattern !== undefined);
    expect(patterns.length).toBeGreaterThan(5);
    const connection = await instance.connect();
    try {
      for (const pattern of new Set(patterns)) {
        // A pattern RE2 refuses fails the whole query, not one row.
        const reader = await connection.runAndReadAll(
          `SELECT regexp_full_match('x', ${sqlString(pattern)}) AS ok`,
        );
        expect(reader.getRowObjectsJson()[0], pattern).toHaveProperty('ok');
      }
    } finally {
      connection.closeSync();
    }
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
