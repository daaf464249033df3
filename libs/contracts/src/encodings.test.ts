import { describe, expect, it } from 'vitest';
import { SOURCE_ENCODINGS, type JsonType } from './encodings';
import { CONTRACTS } from './registry';
import { VALID_RECORDS } from './testing';
import { validateRecord } from './validate-record';

// `jsonTypes` is what the schema-drift check calls a type change at the source, so it must say
// what the validators really do: a type it does not list is rejected, and the valid records of
// every contract only use types it lists.

const SAMPLES: Readonly<Record<JsonType, unknown>> = {
  string: 'x',
  number: 1,
  boolean: true,
  object: {},
  array: [],
};

function jsonTypeOf(value: unknown): JsonType | 'null' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  const kind = typeof value;
  if (kind === 'string' || kind === 'number' || kind === 'boolean') return kind;
  return 'object';
}

const dataColumns = CONTRACTS.flatMap((contract) =>
  contract.columns
    .filter((column) => column.sourceField !== null)
    .map((column) => ({ contract, column, field: column.sourceField ?? column.name })),
);

describe('SOURCE_ENCODINGS jsonTypes', () => {
  it('lists no type for values the pipeline adds', () => {
    expect(SOURCE_ENCODINGS.pipeline.jsonTypes).toEqual([]);
  });

  it.each(dataColumns.map((c) => [`${c.contract.id} ${c.field} (${c.column.encoding})`, c]))(
    '%s: a value of a type the encoding does not list is rejected',
    (_, { contract, column, field }) => {
      const listed: readonly JsonType[] = SOURCE_ENCODINGS[column.encoding].jsonTypes;
      const valid = VALID_RECORDS[contract.id]?.[0] as Record<string, unknown>;
      expect(validateRecord(contract, valid).ok).toBe(true);
      for (const type of Object.keys(SAMPLES) as JsonType[]) {
        if (listed.includes(type)) continue;
        const result = validateRecord(contract, { ...valid, [field]: SAMPLES[type] });
        expect(result.ok, `${type} accepted`).toBe(false);
        if (!result.ok) expect(result.issues.map((issue) => issue.path[0])).toContain(field);
      }
    },
  );

  it('covers the type of every value in the valid records', () => {
    for (const { contract, column, field } of dataColumns) {
      const listed: readonly string[] = SOURCE_ENCODINGS[column.encoding].jsonTypes;
      for (const record of VALID_RECORDS[contract.id] ?? []) {
        const type = jsonTypeOf((record as Record<string, unknown>)[field]);
        if (type !== 'null') expect(listed, `${contract.id} ${field}`).toContain(type);
      }
    }
  });
});
