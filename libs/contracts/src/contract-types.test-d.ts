import { expectTypeOf, test } from 'vitest';
import type { FmpEodPrice } from './index';
import { fmpIncomeStatements } from './sources/fmp/statements';
import { mongodbTransactions } from './sources/mongodb/transactions';
import { validateRecord } from './validate-record';

type EodPrice = FmpEodPrice;

test('validated records carry the contract types', () => {
  expectTypeOf<EodPrice['volume']>().toEqualTypeOf<number>();
  expectTypeOf<EodPrice['changePercent']>().toEqualTypeOf<number | null>();
  expectTypeOf<EodPrice['date']>().toEqualTypeOf<string>();

  const result = validateRecord(mongodbTransactions, {});
  if (result.ok) {
    expectTypeOf(result.record.updatedAt).toEqualTypeOf<Date>();
    expectTypeOf(result.record.type).toEqualTypeOf<
      'deposit' | 'withdrawal' | 'buy' | 'sell' | 'fee'
    >();
    expectTypeOf(result.record.symbol).toEqualTypeOf<string | null>();
  }
  const income = validateRecord(fmpIncomeStatements, {});
  if (income.ok) {
    // fiscalYear arrives as a string and leaves as a number.
    expectTypeOf(income.record.fiscalYear).toEqualTypeOf<number>();
    expectTypeOf(income.record.ebitda).toEqualTypeOf<number | null>();
  }
});
