import type { z } from 'zod';
import { MISSING_FIELD_PARAM } from './fields/checked-conversion';

/**
 * Why a record failed its contract, as data: the ingestion writes these next to the record in
 * quarantine, so `code` is stable and `path` points into the raw record.
 */
export type RecordIssueCode =
  'not_an_object' | 'missing_field' | 'wrong_type' | 'invalid_value' | 'invariant_violated';

export interface RecordIssue {
  readonly code: RecordIssueCode;
  /** From the record's root: `['fiscalYear']`, `['items', 0, 'price']`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** The broken invariant's name, for `invariant_violated`. */
  readonly invariant?: string;
}

/** `fiscalYear`, `items[0].price`; `(record)` for the record itself. */
export function formatIssuePath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(record)';
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`,
    )
    .join('');
}

export function formatRecordIssue(issue: RecordIssue): string {
  return `${formatIssuePath(issue.path)}: ${issue.message}`;
}

export function toRecordIssue(issue: z.core.$ZodIssue): RecordIssue {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  if (issue.code === 'custom' && issue.params?.[MISSING_FIELD_PARAM] === true) {
    return { code: 'missing_field', path, message: issue.message };
  }
  if (issue.code === 'custom' && typeof issue.params?.['invariant'] === 'string') {
    return {
      code: 'invariant_violated',
      path,
      message: issue.message,
      invariant: issue.params['invariant'],
    };
  }
  if (issue.code === 'invalid_type') {
    // `input` is present because validateRecord parses with `reportInput`.
    const missing = 'input' in issue && issue.input === undefined;
    return { code: missing ? 'missing_field' : 'wrong_type', path, message: issue.message };
  }
  return { code: 'invalid_value', path, message: issue.message };
}

/** Messages that read well after a path, without echoing long values into logs. */
export const recordErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'is required';
  return `expected ${issue.expected}, got ${describe(issue.input)}`;
};

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'string')
    return input.length <= 40 ? `the string ${JSON.stringify(input)}` : 'a string';
  if (typeof input === 'object') return 'an object';
  return `${typeof input} ${String(input)}`;
}
