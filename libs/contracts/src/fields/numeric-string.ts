import type { z } from 'zod';
import { SOURCE_ENCODINGS } from '../encodings';
import { checkedConversion, numberConversion } from './checked-conversion';

const NUMERIC = new RegExp(SOURCE_ENCODINGS.numeric_string.pattern);

export interface NumericParseOptions {
  readonly integer: boolean;
}

/**
 * The number a JSON number or numeric string stands for, or why there is none. Deliberately
 * stricter than `Number()`, which turns "", " ", "0x1A" and "Infinity" into numbers.
 */
export function parseNumeric(value: unknown, options: NumericParseOptions): number | string {
  let number: number;
  if (typeof value === 'number') {
    number = value;
  } else if (typeof value === 'string') {
    if (!NUMERIC.test(value)) return `expected a numeric string, got ${JSON.stringify(value)}`;
    number = Number(value);
  } else {
    return `expected a number or a numeric string, got ${value === null ? 'null' : typeof value}`;
  }
  if (!Number.isFinite(number)) return `${String(value)} is not a finite number`;
  if (options.integer && !Number.isSafeInteger(number)) {
    return `expected a whole number, got ${JSON.stringify(value)}`;
  }
  return number;
}

/** A zod schema applying `parseNumeric`: a checked conversion, with the reason on failure. */
export function numericSchema(options: NumericParseOptions): z.ZodType<number> {
  return checkedConversion((value) => numberConversion(parseNumeric(value, options)));
}
