import type { ContractRecord, DatasetContract } from './contract';
import { REJECTED, type FastCheck, type FieldMap } from './fields/field-spec';
import { violates, type ColumnValue } from './invariants/evaluate';
import type { Invariant } from './invariants/invariant';
import { recordErrorMap, toRecordIssue, type RecordIssue } from './issues';

export type RecordValidation<Record> =
  | { readonly ok: true; readonly record: Record }
  | { readonly ok: false; readonly issues: readonly RecordIssue[] };

/**
 * Checks one raw record (as parsed from the API's JSON or read from MongoDB) against its
 * contract. Returns the typed record, or every issue found; never throws for bad data.
 *
 * A connector validates millions of records, nearly all valid, and zod costs ~8 µs each (its
 * parse, issue bookkeeping and a copy of every record). So the fields' fast checks and the
 * invariants decide first; only a record they do not pass goes through the contract's schema,
 * which alone says what is wrong — the issues are zod's whatever the fast path thought. A valid
 * record is what the schema would output (declared fields converted, unknown ones kept), except
 * that when no field converts it is `raw` itself rather than a copy: do not mutate it.
 */
export function validateRecord<Fields extends FieldMap>(
  contract: DatasetContract<Fields>,
  raw: unknown,
): RecordValidation<ContractRecord<Fields>> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const got = raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw;
    return {
      ok: false,
      issues: [{ code: 'not_an_object', path: [], message: `expected a JSON object, got ${got}` }],
    };
  }
  const record = fastValidator(contract)(raw as Readonly<Record<string, unknown>>);
  if (record !== undefined) return { ok: true, record: record as ContractRecord<Fields> };
  return validateWithSchema(contract, raw);
}

/** The contract's zod schema alone: the reference `validateRecord` agrees with. */
export function validateWithSchema<Fields extends FieldMap>(
  contract: DatasetContract<Fields>,
  raw: unknown,
): RecordValidation<ContractRecord<Fields>> {
  const result = contract.schema.safeParse(raw, { error: recordErrorMap, reportInput: true });
  return result.success
    ? { ok: true, record: result.data }
    : { ok: false, issues: result.error.issues.map(toRecordIssue) };
}

/** The record as the schema would output it, or undefined when the fast path does not pass it. */
type FastValidator = (raw: Readonly<Record<string, unknown>>) => object | undefined;

const validators = new WeakMap<DatasetContract, FastValidator>();

function fastValidator(contract: DatasetContract): FastValidator {
  let validator = validators.get(contract);
  if (validator === undefined) {
    validator = compileFastValidator(contract);
    validators.set(contract, validator);
  }
  return validator;
}

/**
 * Passes a record when every declared field passes its fast check and no invariant is broken.
 * Invariants name silver columns and read the fields' outputs, as the schema's refinements do.
 */
function compileFastValidator(contract: DatasetContract): FastValidator {
  const fields: [string, FastCheck<unknown>][] = Object.entries(contract.fields).map(
    ([name, spec]) => [name, spec.fast],
  );
  const invariants: readonly Invariant[] = contract.invariants;
  const fieldIndex = new Map(fields.map(([name], index) => [name, index]));
  const indexOfColumn = new Map<string, number>();
  for (const column of contract.columns) {
    const index = column.sourceField === null ? undefined : fieldIndex.get(column.sourceField);
    if (index !== undefined) indexOfColumn.set(column.name, index);
  }
  const count = fields.length;
  const names = fields.map(([name]) => name);
  const checks = fields.map(([, fast]) => fast);
  const values: ColumnValue[] = new Array<ColumnValue>(count);
  // Columns resolved to field positions once; the invariants' own three-valued evaluation.
  const column = (name: string): ColumnValue => {
    const index = indexOfColumn.get(name);
    return index === undefined ? undefined : values[index];
  };
  return (raw) => {
    let converted = false;
    for (let index = 0; index < count; index++) {
      const input = raw[names[index] as string];
      const value = (checks[index] as FastCheck<unknown>)(input);
      if (value === REJECTED) return undefined;
      values[index] = value as ColumnValue;
      if (value !== input) converted = true;
    }
    for (const invariant of invariants) if (violates(invariant, column)) return undefined;
    if (!converted) return raw;
    // zod's looseObject output: the unknown fields as they came, the declared ones converted.
    const record: Record<string, unknown> = { ...raw };
    for (let index = 0; index < count; index++) record[names[index] as string] = values[index];
    return record;
  };
}
