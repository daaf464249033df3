import { z } from 'zod';

/** Marks a custom issue as "the field is absent", so quarantine can tell missing from malformed. */
export const MISSING_FIELD_PARAM = 'missingField';

export type Conversion<T> = { readonly value: T } | { readonly problem: string };

/** A number, or the sentence saying why there is none, as a `Conversion`. */
export function numberConversion(parsed: number | string): Conversion<number> {
  return typeof parsed === 'number' ? { value: parsed } : { problem: parsed };
}

/**
 * A schema that converts any raw form to `T` with `convert`, which returns the value or a
 * sentence saying why there is none. Absent values get the same "is required" issue as plain
 * zod fields.
 */
export function checkedConversion<T>(convert: (value: unknown) => Conversion<T>): z.ZodType<T> {
  return z.unknown().transform((value, context): T => {
    if (value === undefined) {
      context.addIssue({
        code: 'custom',
        message: 'is required',
        params: { [MISSING_FIELD_PARAM]: true },
      });
      return z.NEVER;
    }
    const converted = convert(value);
    if ('problem' in converted) {
      context.addIssue({ code: 'custom', message: converted.problem, input: value });
      return z.NEVER;
    }
    return converted.value;
  });
}
