import { describe, expect, it } from 'vitest';
import type { RecordIssue } from '../../issues';
import {
  fmpCompanyProfilePayload,
  fmpEodPricePayload,
  fmpIncomeStatementPayload,
  fmpNewsPayload,
  fmpQuotePayload,
  fmpSplitPayload,
} from '../../testing';
import { validateRecord } from '../../validate-record';
import { fmpCompanyProfiles } from './company-profiles';
import { fmpEodPrices } from './eod-prices';
import { fmpNews } from './news';
import { fmpQuotes } from './quotes';
import { fmpSplits } from './splits';
import { fmpBalanceSheets, fmpIncomeStatements } from './statements';

const [aaplProfile, spyProfile] = fmpCompanyProfilePayload;
const [aaplIncome, unprocessedIncome] = fmpIncomeStatementPayload;
const [eodRow] = fmpEodPricePayload;

function issuesOf(result: ReturnType<typeof validateRecord>): readonly RecordIssue[] {
  if (result.ok) throw new Error('expected the record to be rejected');
  return result.issues;
}

describe('FMP numbers sent as strings', () => {
  it('converts fiscalYear and fullTimeEmployees to numbers', () => {
    const income = validateRecord(fmpIncomeStatements, aaplIncome);
    expect(income.ok && income.record.fiscalYear).toBe(2024);
    const profile = validateRecord(fmpCompanyProfiles, aaplProfile);
    expect(profile.ok && profile.record.fullTimeEmployees).toBe(164000);
  });

  it('rejects a fiscalYear that is not a number, naming the field', () => {
    const issues = issuesOf(
      validateRecord(fmpIncomeStatements, { ...aaplIncome, fiscalYear: 'FY2024' }),
    );
    expect(issues).toEqual([
      {
        code: 'invalid_value',
        path: ['fiscalYear'],
        message: 'expected a numeric string, got "FY2024"',
      },
    ]);
  });

  it.each([
    ['', 'expected a numeric string, got ""'],
    ['2024.5', 'expected a whole number, got "2024.5"'],
    [' 2024', 'expected a numeric string, got " 2024"'],
    ['0x7E8', 'expected a numeric string, got "0x7E8"'],
    [null, 'expected a number or a numeric string, got null'],
  ])('rejects fiscalYear %j', (fiscalYear, message) => {
    const issues = issuesOf(validateRecord(fmpIncomeStatements, { ...aaplIncome, fiscalYear }));
    expect(issues).toContainEqual({ code: 'invalid_value', path: ['fiscalYear'], message });
  });

  it('accepts fiscalYear as a JSON number too', () => {
    const result = validateRecord(fmpIncomeStatements, { ...aaplIncome, fiscalYear: 2024 });
    expect(result.ok && result.record.fiscalYear).toBe(2024);
  });

  it('reads an empty fullTimeEmployees as null (nullable), a word as an error', () => {
    const spy = validateRecord(fmpCompanyProfiles, spyProfile);
    expect(spy.ok && spy.record.fullTimeEmployees).toBeNull();
    const issues = issuesOf(
      validateRecord(fmpCompanyProfiles, { ...aaplProfile, fullTimeEmployees: 'n/a' }),
    );
    expect(issues[0]).toMatchObject({
      path: ['fullTimeEmployees'],
      message: 'expected a numeric string, got "n/a"',
    });
  });
});

describe('FMP nulls and absent fields', () => {
  it('accepts the null-heavy statement FMP serves before it processes a filing', () => {
    const result = validateRecord(fmpIncomeStatements, unprocessedIncome);
    expect(result.ok).toBe(true);
    expect(result.ok && result.record.filingDate).toBeNull();
    // Fields FMP left out entirely are null too, so silver rows always have every column.
    expect(result.ok && result.record.ebitda).toBeNull();
  });

  it('accepts nulls where the API sends them and refuses them where a row needs a value', () => {
    expect(validateRecord(fmpEodPrices, { ...eodRow, changePercent: null, vwap: null }).ok).toBe(
      true,
    );
    const issues = issuesOf(validateRecord(fmpEodPrices, { ...eodRow, close: null }));
    expect(issues).toEqual([
      { code: 'wrong_type', path: ['close'], message: 'expected number, got null' },
    ]);
  });
});

describe('FMP invalid records', () => {
  it('reports every problem with its path: wrong types, missing keys, impossible dates', () => {
    const { close: _close, ...withoutClose } = eodRow as Record<string, unknown>;
    const issues = issuesOf(
      validateRecord(fmpEodPrices, {
        ...withoutClose,
        date: '2025-02-30',
        open: '240.01',
        volume: 1.5,
      }),
    );
    expect(issues).toEqual([
      { code: 'invalid_value', path: ['date'], message: 'expected a date YYYY-MM-DD that exists' },
      { code: 'wrong_type', path: ['open'], message: 'expected number, got the string "240.01"' },
      { code: 'missing_field', path: ['close'], message: 'is required' },
      { code: 'invalid_value', path: ['volume'], message: 'expected a whole number' },
    ]);
  });

  it('rejects a period outside FY and Q1-Q4', () => {
    const issues = issuesOf(validateRecord(fmpIncomeStatements, { ...aaplIncome, period: 'H1' }));
    expect(issues[0]?.path).toEqual(['period']);
    expect(issues[0]?.message).toMatch(/FY.*Q4/);
  });

  it("rejects an acceptedDate that is not FMP's date-time shape", () => {
    const issues = issuesOf(
      validateRecord(fmpBalanceSheets, { ...aaplIncome, acceptedDate: '2024-11-01T06:01:36Z' }),
    );
    expect(issues[0]).toMatchObject({ path: ['acceptedDate'], code: 'invalid_value' });
  });

  it('rejects a quote timestamp in milliseconds', () => {
    const issues = issuesOf(
      validateRecord(fmpQuotes, { ...fmpQuotePayload[0], timestamp: 1736539200000 }),
    );
    expect(issues[0]).toMatchObject({
      path: ['timestamp'],
      message: 'is too large for seconds (milliseconds?)',
    });
  });

  it('rejects a news row without a usable url', () => {
    const issues = issuesOf(validateRecord(fmpNews, { ...fmpNewsPayload[0], url: 'not a url' }));
    expect(issues[0]?.path).toEqual(['url']);
  });

  it('reports a broken invariant alongside a type error elsewhere in the record', () => {
    const issues = issuesOf(validateRecord(fmpEodPrices, { ...eodRow, low: 250, vwap: 'n/a' }));
    expect(issues).toEqual([
      { code: 'wrong_type', path: ['vwap'], message: 'expected number, got the string "n/a"' },
      {
        code: 'invariant_violated',
        path: ['low'],
        message: 'low must not exceed high (invariant low_not_above_high)',
        invariant: 'low_not_above_high',
      },
    ]);
  });

  it("leaves a quote's day range unchecked when either end is null", () => {
    expect(validateRecord(fmpQuotes, { ...fmpQuotePayload[0], dayLow: null, dayHigh: 1 }).ok).toBe(
      true,
    );
    const issues = issuesOf(
      validateRecord(fmpQuotes, { ...fmpQuotePayload[0], dayLow: 2, dayHigh: 1 }),
    );
    expect(issues[0]?.invariant).toBe('day_range_ordered');
  });
});

describe('FMP splits', () => {
  const [split] = fmpSplitPayload;

  it('reads the ratio as numbers and renames date to split_date in silver', () => {
    const result = validateRecord(fmpSplits, split);
    expect(result.ok && [result.record.numerator, result.record.denominator]).toEqual([4, 1]);
    expect(fmpSplits.columns.map((column) => column.name).slice(0, 4)).toEqual([
      'symbol',
      'split_date',
      'numerator',
      'denominator',
    ]);
  });

  it.each([
    ['numerator', 'numerator_positive'],
    ['denominator', 'denominator_positive'],
  ])('rejects a %s of 0, naming the invariant', (field, invariant) => {
    const issues = issuesOf(validateRecord(fmpSplits, { ...split, [field]: 0 }));
    expect(issues).toEqual([expect.objectContaining({ code: 'invariant_violated', invariant })]);
  });

  it('rejects a split without a date', () => {
    const issues = issuesOf(validateRecord(fmpSplits, { ...split, date: null }));
    expect(issues[0]?.path).toEqual(['date']);
  });
});
