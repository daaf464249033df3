import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { fmpEodPrices, type DatasetContract } from '@finks/contracts';
import { queryRows } from '../../duckdb/query-rows';
import { sqlString } from '../bronze-to-silver/contract-sql';
import { driftLinesSql } from './drift-sql';

// What one bronze line's drift is, for a contract that ignores a field on purpose (no contract in
// the registry does today; validate_schemas.py's side is test_validate_schemas.py's).

const good = { symbol: 'A', date: '2026-11-24', open: 1, high: 1, low: 1, close: 1, volume: 1 };

async function unknownFields(contract: DatasetContract, payloads: object[]): Promise<string[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const lines = payloads.map((payload, index) => sqlString(JSON.stringify({ payload, index })));
    const source = `SELECT unnest([${lines.join(', ')}]) AS line`;
    await connection.run(driftLinesSql(contract, source));
    const rows = await queryRows(
      connection,
      `SELECT list_sort(list_transform(list_filter(issues, i -> i.kind = 'unknown'), i -> i.field)) AS fields
       FROM drift_lines`,
    );
    return rows.map((row) => row['fields'] as string[]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('driftLinesSql', () => {
  const payloads = [good, { ...good, adjClose: 1 }, { ...good, adjClose: 1, label: 'x' }];
  let asDefined: string[][];
  beforeAll(async () => {
    asDefined = await unknownFields(fmpEodPrices, payloads);
  });

  it('reports a payload field the contract does not read as unknown', () => {
    expect(asDefined).toEqual([[], ['adjClose'], ['adjClose', 'label']]);
  });

  it('does not report a field the contract ignores on purpose, and only that one', async () => {
    const ignoring: DatasetContract = {
      ...fmpEodPrices,
      ignoredFields: { adjClose: 'silver prices are split-adjusted already' },
    };
    expect(await unknownFields(ignoring, payloads)).toEqual([[], [], ['label']]);
  });
});
