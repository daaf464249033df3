import { describe, expect, it } from 'vitest';
import type { RecordIssue } from '../../issues';
import {
  fakeDriverDecimal,
  mongodbPortfolioDocuments,
  mongodbTransactionDocuments,
} from '../../testing';
import { validateRecord } from '../../validate-record';
import { mongodbPortfolios } from './portfolios';
import { mongodbTransactions } from './transactions';

const [deposit, buy] = mongodbTransactionDocuments as Record<string, unknown>[];
const [portfolio] = mongodbPortfolioDocuments as Record<string, unknown>[];

function issuesOf(result: ReturnType<typeof validateRecord>): readonly RecordIssue[] {
  if (result.ok) throw new Error('expected the record to be rejected');
  return result.issues;
}

describe('MongoDB value forms', () => {
  it('normalises every ObjectId, date and number form to one representation', () => {
    const records = mongodbTransactionDocuments.map((document) => {
      const result = validateRecord(mongodbTransactions, document);
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return result.record;
    });
    expect(records.map((record) => record._id)).toEqual([
      '6780a1b2c3d4e5f607182931',
      '6780a1b2c3d4e5f607182932',
      '6780a1b2c3d4e5f607182933',
      '6780a1b2c3d4e5f607182934',
    ]);
    expect(new Set(records.map((record) => record.portfolioId))).toEqual(
      new Set(['65a1b2c3d4e5f60718293a4b']),
    );
    expect(records[1]?.quantity).toBe(12.5);
    expect(records[2]?.quantity).toBe(3);
    expect(records[3]?.amount).toBe(9.99);
    for (const record of records) expect(record.ts).toBeInstanceOf(Date);
    expect(records[1]?.ts.toISOString()).toBe('2025-01-03T15:30:00.000Z');
  });

  it('reads $date given as epoch milliseconds and uppercase hex ids', () => {
    const [, second] = mongodbPortfolioDocuments;
    const result = validateRecord(mongodbPortfolios, second);
    expect(result.ok && result.record._id).toBe('65a1b2c3d4e5f60718293a4c');
    expect(result.ok && result.record.updatedAt.toISOString()).toBe('2025-01-10T09:00:00.000Z');
    // Fields the contract does not know are kept, like FMP's.
    expect(result.ok && result.record['ownerEmail']).toBe('someone@example.com');
  });

  it('rejects malformed ids, zone-less dates, string amounts and unknown currencies', () => {
    const issues = issuesOf(
      validateRecord(mongodbTransactions, {
        ...deposit,
        _id: '6780a1b2c3d4e5f60718293',
        ts: '2025-01-02 14:00:00',
        amount: '10000',
      }),
    );
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      [['_id'], 'invalid_value'],
      [['amount'], 'invalid_value'],
      [['ts'], 'invalid_value'],
    ]);
    expect(issues.find((issue) => issue.path[0] === 'ts')?.message).toContain('with a zone');
    const currency = issuesOf(
      validateRecord(mongodbPortfolios, { ...portfolio, baseCurrency: 'cad' }),
    );
    expect(currency[0]).toMatchObject({ path: ['baseCurrency'] });
    const unknown = issuesOf(
      validateRecord(mongodbPortfolios, { ...portfolio, baseCurrency: 'ABC' }),
    );
    expect(unknown[0]?.message).toBe('is not an ISO 4217 currency code');
  });

  it('rejects an unknown transaction type, naming the allowed ones', () => {
    const issues = issuesOf(validateRecord(mongodbTransactions, { ...deposit, type: 'dividend' }));
    expect(issues[0]?.path).toEqual(['type']);
    expect(issues[0]?.message).toMatch(/deposit.*withdrawal.*buy.*sell.*fee/);
  });

  it('reports a missing required field as missing, whatever its form', () => {
    const { portfolioId: _portfolioId, ...withoutPortfolio } = deposit ?? {};
    expect(issuesOf(validateRecord(mongodbTransactions, withoutPortfolio))).toEqual([
      { code: 'missing_field', path: ['portfolioId'], message: 'is required' },
    ]);
  });
});

describe('transaction invariants', () => {
  it('requires a symbol, a quantity above zero and a price for buys and sells', () => {
    const issues = issuesOf(
      validateRecord(mongodbTransactions, {
        ...buy,
        symbol: null,
        quantity: fakeDriverDecimal('0'),
        price: undefined,
      }),
    );
    expect(issues.map((issue) => issue.invariant)).toEqual([
      'trade_has_symbol',
      'trade_quantity_positive',
      'trade_has_price',
    ]);
    expect(issues[0]).toMatchObject({ path: ['symbol'], code: 'invariant_violated' });
  });

  it('does not ask a deposit for a symbol or quantity', () => {
    expect(
      validateRecord(mongodbTransactions, { ...deposit, symbol: null, quantity: null }).ok,
    ).toBe(true);
  });

  it('rejects a non-positive amount whatever the type', () => {
    const issues = issuesOf(validateRecord(mongodbTransactions, { ...deposit, amount: -5 }));
    expect(issues).toEqual([
      expect.objectContaining({ path: ['amount'], invariant: 'amount_positive' }),
    ]);
  });

  it('rejects a portfolio updated before it was created', () => {
    const issues = issuesOf(
      validateRecord(mongodbPortfolios, { ...portfolio, updatedAt: '2020-01-01T00:00:00Z' }),
    );
    expect(issues[0]).toMatchObject({
      path: ['updatedAt'],
      invariant: 'updated_not_before_created',
    });
  });
});
