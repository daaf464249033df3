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
}

// Encodings whose empty string carries no value. Only these treat "" as null, and only in a
// nullable field: an empty `fiscalYear` is still an error.
const EMPTY_MEANS_NULL: ReadonlySet<SourceEncodingName> = new Set([
  'numeric_string',
  'iso_date',
  'fmp_datetime',
]);

/**
 * One field of a raw record: the zod schema that validates (and types) it, and the silver
 * column it becomes. Built with the helpers in `fields/`, so the two cannot drift apart.
 */
export class FieldSpec<Output> {
  constructor(
    readonly schema: z.ZodType<Output>,
    readonly meta: FieldMeta,
  ) {}

  /** Null or absent in the source; NULL in silver. */
  nullable(): FieldSpec<Output | null> {
    const emptyMeansNull = EMPTY_MEANS_NULL.has(this.meta.encoding);
    const schema = z.preprocess(
      (value) => (value === undefined || (emptyMeansNull && value === '') ? null : value),
      this.schema.nullable(),
    );
    return new FieldSpec<Output | null>(schema, { ...this.meta, nullable: true });
  }

  /** Gives the silver column a name other than the field's snake_case form. */
  named(columnName: string): FieldSpec<Output> {
    return new FieldSpec(this.schema, { ...this.meta, columnName });
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
