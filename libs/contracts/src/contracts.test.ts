import { describe, expect, it } from 'vitest';
import type { DatasetContract, SilverColumn } from './contract';
import { isFmpDateTime, isIsoDate } from './fields/calendar';
import { formatRecordIssue } from './issues';
import { UnknownContractError } from './errors/unknown-contract-error';
import { CONTRACTS, findContract, findContractById } from './registry';
import { RESERVED_COLUMN_NAMES } from './reserved-words';
import { isSilverType } from './silver-types';
import { VALID_RECORDS } from './testing';
import { validateRecord } from './validate-record';

/** Would a silver writer accept `value` for `column` as the TS validator returns it? */
function fitsColumn(value: unknown, column: SilverColumn): boolean {
  if (value === null) return column.nullable;
  if (column.type.startsWith('decimal')) return typeof value === 'number' && Number.isFinite(value);
  switch (column.type) {
    case 'string':
      return (
        typeof value === 'string' &&
        (column.allowedValues?.includes(value) ?? true) &&
        // The cleansings check the pattern contracts.json carries (a full match).
        (column.pattern === undefined || new RegExp(column.pattern).test(value))
      );
    case 'bigint':
      return Number.isSafeInteger(value);
    case 'double':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && isIsoDate(value);
    case 'timestamp':
      return (
        value instanceof Date ||
        (typeof value === 'string' && isFmpDateTime(value)) ||
        Number.isSafeInteger(value)
      );
    default:
      return false;
  }
}

describe.each(CONTRACTS.map((contract) => [contract.id, contract] as const))(
  'contract %s',
  (_id, contract: DatasetContract) => {
    const records = VALID_RECORDS[contract.id] ?? [];

    it('has valid fixtures, and each validates into values its silver columns accept', () => {
      expect(records.length).toBeGreaterThan(0);
      for (const raw of records) {
        const result = validateRecord(contract, raw);
        if (!result.ok) throw new Error(result.issues.map(formatRecordIssue).join('\n'));
        for (const column of contract.columns) {
          if (column.sourceField === null) continue;
          const value = result.record[column.sourceField];
          expect(fitsColumn(value, column), `${column.name} = ${String(value)}`).toBe(true);
        }
      }
    });

    it('keeps fields the contract does not know (FMP adds fields without notice)', () => {
      const raw = { ...(records[0] as object), someNewField: { nested: [1, 2] } };
      const result = validateRecord(contract, raw);
      expect(result.ok && result.record['someNewField']).toEqual({ nested: [1, 2] });
    });

    it('names every column for every engine: lowercase, unique, not reserved', () => {
      const names = contract.columns.map((column) => column.name);
      expect(new Set(names).size).toBe(names.length);
      for (const column of contract.columns) {
        expect(column.name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(RESERVED_COLUMN_NAMES.has(column.name)).toBe(false);
        expect(isSilverType(column.type)).toBe(true);
        expect(column.description.length).toBeGreaterThan(5);
      }
    });

    it('maps every declared field to exactly one column', () => {
      const sourceFields = contract.columns.flatMap((column) => column.sourceField ?? []);
      expect(sourceFields).toEqual(Object.keys(contract.fields));
    });

    it('rejects a record without its primary key', () => {
      const raw = { ...(records[0] as Record<string, unknown>) };
      const keyColumn = contract.columns.find((column) => column.name === contract.primaryKey[0]);
      delete raw[keyColumn?.sourceField ?? ''];
      const result = validateRecord(contract, raw);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.issues[0]).toMatchObject({
        code: 'missing_field',
        path: [keyColumn?.sourceField],
      });
    });
  },
);

describe('registry', () => {
  it('holds the ten datasets with distinct silver tables', () => {
    expect(CONTRACTS.map((contract) => contract.id)).toEqual([
      'fmp.quotes',
      'fmp.eod_prices',
      'fmp.company_profiles',
      'fmp.income_statements',
      'fmp.balance_sheets',
      'fmp.cash_flow_statements',
      'fmp.news',
      'fmp.splits',
      'mongodb.portfolios',
      'mongodb.transactions',
    ]);
    expect(new Set(CONTRACTS.map((contract) => contract.silverTable)).size).toBe(CONTRACTS.length);
  });

  it('finds a contract by source and dataset, and names the known ones otherwise', () => {
    expect(findContract('fmp', 'eod_prices').silverTable).toBe('fmp_eod_prices');
    expect(() => findContract('fmp', 'eod')).toThrow(
      /No contract for fmp\.eod; known: fmp\.quotes/,
    );
  });

  it('finds a contract by its id, and names the known ones otherwise', () => {
    for (const contract of CONTRACTS) expect(findContractById(contract.id)).toBe(contract);
    expect(() => findContractById('fmp.eod')).toThrow(UnknownContractError);
    expect(() => findContractById('eod_prices')).toThrow(
      /No contract for eod_prices\.; known: fmp\.quotes/,
    );
  });

  it('rejects input that is not an object', () => {
    const contract = findContract('fmp', 'quotes');
    expect(validateRecord(contract, [1, 2])).toEqual({
      ok: false,
      issues: [
        { code: 'not_an_object', path: [], message: 'expected a JSON object, got an array' },
      ],
    });
    expect(validateRecord(contract, null).ok).toBe(false);
  });
});
