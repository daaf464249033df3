import type { ContractRecord, DatasetContract } from './contract';
import type { FieldMap } from './fields/field-spec';
import { recordErrorMap, toRecordIssue, type RecordIssue } from './issues';

export type RecordValidation<Record> =
  | { readonly ok: true; readonly record: Record }
  | { readonly ok: false; readonly issues: readonly RecordIssue[] };

/**
 * Checks one raw record (as parsed from the API's JSON or read from MongoDB) against its
 * contract. Returns the typed record, or every issue found; never throws for bad data.
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
  const result = contract.schema.safeParse(raw, { error: recordErrorMap, reportInput: true });
  return result.success
    ? { ok: true, record: result.data }
    : { ok: false, issues: result.error.issues.map(toRecordIssue) };
}
