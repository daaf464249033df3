import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DatasetContract } from './contract';
import { CONTRACTS } from './registry';
import { VALID_RECORDS } from './testing';
import { validateRecord, validateWithSchema } from './validate-record';

// Values a source might send in place of a field's own: each form every encoding treats
// specially (empty and numeric strings, wrappers, dates, edge numbers) and plain wrong types.
const TRICKY_VALUES: readonly unknown[] = [
  undefined,
  null,
  '',
  ' ',
  '0',
  '-1.5',
  '1e400',
  '12abc',
  '2024-02-29',
  '2023-02-29',
  '2024-01-01 12:00:00',
  '2024-01-01 24:00:00',
  '2024-01-01T12:00:00Z',
  '2024-01-01T12:00:00',
  'AAPL',
  'aapl lower',
  'USD',
  'usd',
  'XYZ',
  'buy',
  'https://example.com/a',
  'ftp://example.com/a',
  'HTTPS://EXAMPLE.COM/A',
  ' https://example.com/a ',
  'https://exa mple.com/a',
  'https://example.com/a\tb',
  'https://',
  'http://[',
  'https:/example.com',
  'http:example.com',
  'javascript:alert(1)',
  '65a1b2c3d4e5f60718293a4b',
  '65A1B2C3D4E5F60718293A4B',
  0,
  -0,
  -1,
  1.5,
  2 ** 53,
  253_402_300_800,
  1_700_000_000,
  Number.MAX_VALUE,
  true,
  false,
  [],
  {},
  { $oid: '65a1b2c3d4e5f60718293a4b' },
  { $date: '2024-01-01T00:00:00Z' },
  { $date: 1_700_000_000_000 },
  { $date: { $numberLong: '1700000000000' } },
  { $numberDecimal: '12.50' },
  { $numberDecimal: 'abc' },
  new Date('2024-01-01T00:00:00Z'),
  new Date(Number.NaN),
];

/** validateRecord (fast path first) and the schema alone must say exactly the same. */
function expectSameVerdict(contract: DatasetContract, raw: unknown): void {
  const fast = validateRecord(contract, raw);
  const reference = validateWithSchema(contract, raw);
  expect(fast.ok).toBe(reference.ok);
  if (fast.ok && reference.ok) expect(fast.record).toEqual(reference.record);
  if (!fast.ok && !reference.ok) expect(fast.issues).toEqual(reference.issues);
}

describe.each(CONTRACTS.map((contract) => [contract.id, contract] as const))(
  'validateRecord on %s agrees with the contract schema',
  (_id, contract: DatasetContract) => {
    const records = (VALID_RECORDS[contract.id] ?? []) as readonly Record<string, unknown>[];
    const fields = Object.keys(contract.fields);

    it('on its valid fixtures', () => {
      expect(records.length).toBeGreaterThan(0);
      for (const raw of records) {
        expect(validateRecord(contract, raw).ok).toBe(true);
        expectSameVerdict(contract, raw);
      }
    });

    it('when any one field takes any of the tricky values', () => {
      const raw = records[0] ?? {};
      for (const field of fields) {
        for (const value of TRICKY_VALUES) expectSameVerdict(contract, { ...raw, [field]: value });
      }
    });

    it('when several fields take arbitrary values (fast-check)', () => {
      const base = fc.constantFrom(...records);
      const anyValue = fc.oneof(
        fc.constantFrom(...TRICKY_VALUES),
        fc.anything(),
        fc.double(),
        fc.string(),
        fc.integer(),
      );
      const overrides = fc.dictionary(fc.constantFrom(...fields), anyValue, { maxKeys: 4 });
      fc.assert(
        fc.property(base, overrides, (raw, changed) => {
          expectSameVerdict(contract, { ...raw, ...changed });
        }),
        { numRuns: 150 },
      );
    });

    it('when values are swapped between fields (valid alone, maybe not together)', () => {
      const base = fc.constantFrom(...records);
      const pairs = fc.tuple(fc.constantFrom(...fields), fc.constantFrom(...fields));
      fc.assert(
        fc.property(base, base, pairs, (raw, other, [to, from]) => {
          expectSameVerdict(contract, { ...raw, [to]: other[from] });
        }),
        { numRuns: 150 },
      );
    });
  },
);
