import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SOURCE_ENCODINGS } from '../encodings';
import { CONTRACTS } from '../registry';
import { renderContractsJson } from '../render/contracts-json';
import { isFmpDateTime, isIsoDate } from './calendar';
import type { AnyFieldSpec } from './field-spec';
import { currencyCode } from './mongo';
import { ticker, url } from './scalars';

// The cleansings (DuckDB SQL and the Glue job) re-check bronze with what contracts.json says, not
// with these schemas: a rule a field spec checks must reach them as a pattern, or they take
// records ingestion would refuse.

/** Whether `year-month-day` exists, years 1-9999 as Python and DuckDB count them. */
function existsInProlepticCalendar(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** What a cleansing takes for an iso_date: the encoding's pattern, then a real date. */
function cleansingTakesDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number);
  return (
    new RegExp(SOURCE_ENCODINGS.iso_date.pattern).test(text) &&
    existsInProlepticCalendar(year ?? 0, month ?? 0, day ?? 0)
  );
}

/** What a cleansing takes for an fmp_datetime: the encoding's pattern, then a real time. */
function cleansingTakesDateTime(text: string): boolean {
  const [hour, minute, second] = text.slice(11).split(':').map(Number);
  return (
    new RegExp(SOURCE_ENCODINGS.fmp_datetime.pattern).test(text) &&
    cleansingTakesDate(text.slice(0, 10)) &&
    (hour ?? 99) <= 23 &&
    (minute ?? 99) <= 59 &&
    (second ?? 99) <= 59
  );
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const dateText = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 31 }),
  )
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);

describe('date encodings', () => {
  it('take, with a calendar, exactly the dates the field specs take (years 0100-9999)', () => {
    fc.assert(
      fc.property(dateText, (text) => {
        expect(cleansingTakesDate(text), text).toBe(isIsoDate(text));
        expect(cleansingTakesDateTime(`${text} 12:34:56`), text).toBe(
          isFmpDateTime(`${text} 12:34:56`),
        );
      }),
      { numRuns: 5000 },
    );
    for (const [text, taken] of [
      ['0099-01-02', false],
      ['0099-12-31', false],
      ['0000-01-01', false],
      ['0100-01-01', true],
      ['9999-12-31', true],
    ] as const) {
      expect(cleansingTakesDate(text), text).toBe(taken);
      expect(isIsoDate(text), text).toBe(taken);
    }
    expect(cleansingTakesDateTime('0050-01-01 00:00:00')).toBe(false);
    expect(cleansingTakesDateTime('0100-01-01 00:00:00')).toBe(true);
  });
});

describe.each([
  {
    name: 'ticker',
    spec: ticker('t') as AnyFieldSpec,
    taken: ['AAPL', 'BRK-B', '^GSPC', 'SHOP.TO', 'EURUSD=X', 'A'.repeat(30)],
    refused: ['AA PL', '', '-X', 'AAPL\n', 'été', 'A'.repeat(31)],
  },
  {
    name: 'url',
    spec: url('u') as AnyFieldSpec,
    taken: ['https://example.com/a?b=c#d', 'http://a', 'https://example.com/über'],
    refused: [
      'ftp://example.com/e',
      'not a url',
      'http://',
      'https:example.com',
      // zod's URL check took these, and the cleansings refused them.
      ' https://example.com/a ',
      'HTTP://EXAMPLE.COM/',
      'https://example.com/a b',
      'https://example.com/\u007f',
    ],
  },
  {
    name: 'currencyCode',
    spec: currencyCode('c') as AnyFieldSpec,
    taken: ['CAD', 'USD', 'EUR'],
    refused: ['cad', 'CA1', 'CADX', 'CA', 'CAD\n'],
  },
])('$name', ({ spec, taken, refused }) => {
  const pattern = new RegExp(spec.meta.pattern ?? '(?!)');

  it('exports a pattern that takes the values the schema takes', () => {
    for (const value of taken) {
      expect(spec.schema.safeParse(value).success, value).toBe(true);
      expect(pattern.test(value), value).toBe(true);
    }
  });

  it('exports a pattern that refuses values the schema refuses', () => {
    for (const value of refused) {
      expect(spec.schema.safeParse(value).success, value).toBe(false);
      expect(pattern.test(value), value).toBe(false);
    }
  });
});

describe('contracts.json', () => {
  const json = JSON.parse(renderContractsJson(CONTRACTS)) as {
    contracts: {
      id: string;
      columns: { name: string; encoding: string; pattern?: string }[];
    }[];
  };
  const patternOf = (id: string, column: string) =>
    json.contracts.find((contract) => contract.id === id)?.columns.find((c) => c.name === column)
      ?.pattern;

  it('carries the pattern of every ticker, URL and currency code column', () => {
    const symbol = ticker('t').meta.pattern;
    expect(symbol).toBeDefined();
    for (const id of ['fmp.quotes', 'fmp.eod_prices', 'fmp.news', 'fmp.splits']) {
      expect(patternOf(id, 'symbol'), id).toBe(symbol);
    }
    expect(patternOf('mongodb.transactions', 'symbol')).toBe(symbol);
    expect(patternOf('fmp.news', 'url')).toBe(url('u').meta.pattern);
    expect(patternOf('fmp.company_profiles', 'image')).toBe(url('u').meta.pattern);
    expect(patternOf('mongodb.portfolios', 'base_currency')).toBe('^[A-Z]{3}$');
  });

  it('gives patterns to json_string columns only', () => {
    for (const contract of json.contracts) {
      for (const column of contract.columns) {
        if (column.pattern !== undefined) expect(column.encoding).toBe('json_string');
      }
    }
  });
});
