import { z } from 'zod';
import type { SourceEncodingName } from '../encodings';
import type { SilverType } from '../silver-types';

/** What a field becomes in silver, besides its value. */
export interface FieldMeta {
  readonly type: SilverType;
  readonly encoding: SourceEncodingName;
  readonly description: string;
  readonly nullable: boolean;
  /** Silver column name; `undefined` means the field name in snake_case. */
  readonly columnName?: string;
  /** The only values the column may hold (enumerations). */
  readonly allowedValues?: readonly string[];
  /**
   * A regular expression the whole string must match, exported so both cleansings re-check it
   * (DuckDB's RE2 and Python's `re`): write it in the syntax they share with ECMAScript (no `\s`,
   * which each reads differently; no lookaround or backreferences, which RE2 lacks). The field's
   * schema may check more than the pattern, at ingestion only (a currency code against ICU's list).
   */
  readonly pattern?: string;
}

// Encodings whose empty string carries no value. Only these treat "" as null, and only in a
// nullable field: an empty `fiscalYear` is still an error.
const EMPTY_MEANS_NULL: ReadonlySet<SourceEncodingName> = new Set([
  'numeric_string',
  'iso_date',
  'fmp_datetime',
]);

/** What a `FastCheck` returns for a value its field's schema would reject (or might). */
export const REJECTED: unique symbol = Symbol('rejected');

/**
 * The field's schema without zod, for the common case: the value the schema would output, or
 * `REJECTED`. It may reject more than the schema (validateRecord then asks zod, which words the
 * issues) but must never accept what the schema rejects, nor output anything else; the
 * fast-check test in validate-record.test.ts holds every contract's fields to that.
 */
export type FastCheck<Output> = (value: unknown) => Output | typeof REJECTED;

/**
 * One field of a raw record: the zod schema that validates (and types) it, and the silver
 * column it becomes. Built with the helpers in `fields/`, so the two cannot drift apart.
 */
export class FieldSpec<Output> {
  /** The schema's fast path (see `FastCheck`); by default the schema itself, run alone. */
  readonly fast: FastCheck<Output>;

  constructor(
    readonly schema: z.ZodType<Output>,
    readonly meta: FieldMeta,
    fast?: FastCheck<Output>,
  ) {
    this.fast =
      fast ??
      ((value) => {
        const result = schema.safeParse(value);
        return result.success ? result.data : REJECTED;
      });
  }

  /** Null or absent in the source; NULL in silver. */
  nullable(): FieldSpec<Output | null> {
    const emptyMeansNull = EMPTY_MEANS_NULL.has(this.meta.encoding);
    const schema = z.preprocess(
      (value) => (value === undefined || (emptyMeansNull && value === '') ? null : value),
      this.schema.nullable(),
    );
    const inner = this.fast;
    const fast: FastCheck<Output | null> = (value) =>
      value === undefined || value === null || (emptyMeansNull && value === '')
        ? null
        : inner(value);
    return new FieldSpec<Output | null>(schema, { ...this.meta, nullable: true }, fast);
  }

  /** Gives the silver column a name other than the field's snake_case form. */
  named(columnName: string): FieldSpec<Output> {
    return new FieldSpec(this.schema, { ...this.meta, columnName }, this.fast);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: any FieldSpec<T> fits
export type AnyFieldSpec = FieldSpec<any>;
export type FieldMap = Readonly<Record<string, AnyFieldSpec>>;
export type FieldOutput<F> = F extends FieldSpec<infer Output> ? Output : never;

/** `changePercentage` → `change_percentage`, `_id` → `id`, `epsDiluted` → `eps_diluted`. */
export function snakeCase(fieldName: string): string {
  return fieldName
    .replace(/^_+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
