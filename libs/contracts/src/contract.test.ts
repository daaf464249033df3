import { describe, expect, it } from 'vitest';
import { defineContract, type ContractDefinition } from './contract';
import { ContractDefinitionError } from './errors/contract-definition-error';
import type { FieldMap } from './fields/field-spec';
import { FieldSpec, snakeCase } from './fields/field-spec';
import { double, isoDate, text, ticker } from './fields/scalars';
import { compare } from './invariants/invariant';

const fields = {
  symbol: ticker('Ticker symbol.'),
  date: isoDate('Trading day.').named('trade_date'),
  close: double('Closing price.'),
  note: text('A note.').nullable(),
};

/** `spec` with a pattern of its own: no helper sets one on other kinds of columns. */
function withPattern<T>(spec: FieldSpec<T>, pattern: string): FieldSpec<T> {
  return new FieldSpec(spec.schema, { ...spec.meta, pattern }, spec.fast);
}

function definition(
  overrides: Partial<ContractDefinition<FieldMap>> = {},
): ContractDefinition<FieldMap> {
  return {
    source: 'fmp',
    dataset: 'test_prices',
    description: 'Test prices.',
    origin: 'test',
    mode: 'incremental',
    fields,
    primaryKey: ['symbol', 'trade_date'],
    cursor: 'trade_date',
    partitionBy: 'trade_date',
    freshness: { warnAfterHours: 1, errorAfterHours: 2 },
    ...overrides,
  };
}

function problemsOf(overrides: Partial<ContractDefinition<FieldMap>>): string {
  try {
    defineContract(definition(overrides));
  } catch (error) {
    expect(error).toBeInstanceOf(ContractDefinitionError);
    expect((error as ContractDefinitionError).code).toBe('invalid_contract');
    return (error as Error).message;
  }
  throw new Error('expected defineContract to throw');
}

describe('defineContract', () => {
  it('derives silver columns, the table name and the partition key', () => {
    const contract = defineContract(definition());
    expect(contract.id).toBe('fmp.test_prices');
    expect(contract.silverTable).toBe('fmp_test_prices');
    expect(contract.columns.map((column) => column.name)).toEqual([
      'symbol',
      'trade_date',
      'close',
      'note',
      'ingested_at',
      'ingestion_run_id',
    ]);
    expect(contract.partitionKey).toEqual({ name: 'dt', type: 'date', derivedFrom: 'trade_date' });
    expect(contract.ignoredFields).toEqual({});
  });

  it("copies a field's pattern to its column, for contracts.json", () => {
    const contract = defineContract(definition());
    const symbol = contract.columns.find((column) => column.name === 'symbol');
    expect(symbol?.pattern).toBe(fields.symbol.meta.pattern);
    expect(symbol?.pattern).toBeDefined();
    expect(contract.columns.find((column) => column.name === 'note')).not.toHaveProperty('pattern');
  });

  it('keeps the fields it ignores on purpose, which never become columns', () => {
    const contract = defineContract(
      definition({ ignoredFields: { vwap: 'derivable from the silver prices' } }),
    );
    expect(contract.ignoredFields).toEqual({ vwap: 'derivable from the silver prices' });
    expect(contract.columns.map((column) => column.sourceField)).not.toContain('vwap');
  });

  it.each([
    [{ primaryKey: ['symbol', 'note'] }, 'primary key column "note" is nullable'],
    [{ primaryKey: ['ticker'] }, 'primary key column "ticker" is not a column'],
    [{ cursor: 'symbol' }, 'cursor "symbol" has type string'],
    [{ cursor: null }, 'an incremental dataset needs a cursor'],
    [{ mode: 'snapshot' as const }, 'a snapshot dataset has no cursor'],
    [{ partitionBy: 'close' }, 'partition column "close" has type double'],
    [{ dataset: 'TestPrices' }, 'dataset "TestPrices" is not snake_case'],
    [
      { freshness: { warnAfterHours: 5, errorAfterHours: 5 } },
      'freshness must warn before it errors',
    ],
    [{ fields: { ...fields, date: isoDate('Trading day.') } }, 'column "date" is a reserved word'],
    [
      { fields: { ...fields, ingestedAt: double('clash') } },
      'column "ingested_at" is defined twice',
    ],
    [
      {
        invariants: [{ name: 'x', description: 'x', require: compare('open', '>', 0) }],
      },
      'invariant "x" reads "open", which is not a data column',
    ],
    [
      { ignoredFields: { close: 'not needed' } },
      'field "close" is both read and ignored; drop it from ignoredFields',
    ],
    [{ ignoredFields: { vwap: ' ' } }, 'ignored field "vwap" needs a reason'],
    [
      { fields: { ...fields, close: withPattern(double('Closing price.'), '^1') } },
      'column "close" has a pattern but is not a string read as json_string (it is double from json_number)',
    ],
    [
      { fields: { ...fields, note: withPattern(text('A note.'), '[a-') } },
      'column "note" has a pattern that is not a regular expression',
    ],
  ])('rejects an inconsistent definition: %j', (overrides, expected) => {
    expect(problemsOf(overrides)).toContain(expected);
  });

  it('lists every inconsistency at once', () => {
    const message = problemsOf({ primaryKey: ['note'], cursor: 'missing' });
    expect(message).toContain('primary key column "note" is nullable');
    expect(message).toContain('cursor "missing" is not a column');
  });
});

describe('snakeCase', () => {
  it.each([
    ['changePercentage', 'change_percentage'],
    ['_id', 'id'],
    ['epsDiluted', 'eps_diluted'],
    ['priceAvg50', 'price_avg50'],
    ['weightedAverageShsOutDil', 'weighted_average_shs_out_dil'],
    ['ipoDate', 'ipo_date'],
    ['isEtf', 'is_etf'],
  ])('%s → %s', (field, column) => expect(snakeCase(field)).toBe(column));
});
