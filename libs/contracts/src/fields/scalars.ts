import { z } from 'zod';
import { isFmpDateTime, isIsoDate } from './calendar';
import { FieldSpec, REJECTED } from './field-spec';
import { numericSchema, parseNumeric } from './numeric-string';

/** A JSON string. */
export function text(description: string): FieldSpec<string> {
  return new FieldSpec(
    z.string(),
    { type: 'string', encoding: 'json_string', description, nullable: false },
    (value) => (typeof value === 'string' ? value : REJECTED),
  );
}

/** A ticker as FMP writes it (`AAPL`, `BRK-B`, `SHOP.TO`, `^GSPC`, `EURUSD`). */
const TICKER = /^[A-Za-z0-9^][A-Za-z0-9.\-^=_/]{0,29}$/;

export function ticker(description: string): FieldSpec<string> {
  return new FieldSpec(
    z.string().regex(TICKER, { error: 'is not a ticker symbol' }),
    {
      type: 'string',
      encoding: 'json_string',
      description,
      nullable: false,
      pattern: TICKER.source,
    },
    (value) => (typeof value === 'string' && TICKER.test(value) ? value : REJECTED),
  );
}

// http(s)://, then no whitespace or control character: the pattern the cleansings check too
// (contracts.json; ECMAScript without the u flag, Python `re` and RE2 read it alike, non-ASCII
// included, so internationalised URLs pass). zod's own URL check took spaces, which it trimmed
// from its output while bronze kept them, and an upper-case scheme: such a URL passed ingestion
// and was quarantined by the cleansing. URL.canParse (a host, a valid port…) is checked at
// ingestion only.
const HTTP_URL = /^https?:\/\/[^\x00-\x20\x7f]+$/;

/** An absolute http(s) URL, without whitespace (percent-encode it). */
export function url(description: string): FieldSpec<string> {
  const isUrl = (value: string) => URL.canParse(value);
  return new FieldSpec(
    z
      .string()
      .regex(HTTP_URL, {
        error: 'is not an http(s) URL: http:// or https://, then no spaces or control characters',
      })
      .refine(isUrl, { error: 'is not an http(s) URL' }),
    {
      type: 'string',
      encoding: 'json_string',
      description,
      nullable: false,
      pattern: HTTP_URL.source,
    },
    (value) =>
      typeof value === 'string' && HTTP_URL.test(value) && isUrl(value) ? value : REJECTED,
  );
}

/** One of a fixed set of strings. */
export function oneOf<const Values extends readonly [string, ...string[]]>(
  values: Values,
  description: string,
): FieldSpec<Values[number]> {
  const allowed: ReadonlySet<unknown> = new Set(values);
  return new FieldSpec(
    z.enum(values),
    {
      type: 'string',
      encoding: 'json_string',
      description,
      nullable: false,
      allowedValues: values,
    },
    (value) => (allowed.has(value) ? (value as Values[number]) : REJECTED),
  );
}

/** A finite JSON number. */
export function double(description: string): FieldSpec<number> {
  return new FieldSpec(
    z.number(),
    { type: 'double', encoding: 'json_number', description, nullable: false },
    (value) => (typeof value === 'number' && Number.isFinite(value) ? value : REJECTED),
  );
}

/**
 * A whole JSON number. Not `z.number().int()`: zod marks that failure as aborting, which would
 * also silence the record's invariant checks and hide other reasons from quarantine.
 */
function wholeNumber() {
  return z.number().refine(Number.isSafeInteger, { error: 'expected a whole number' });
}

/** A whole JSON number (counts, volumes); fractions are rejected rather than truncated. */
export function bigint(description: string): FieldSpec<number> {
  return new FieldSpec(
    wholeNumber(),
    { type: 'bigint', encoding: 'json_number', description, nullable: false },
    (value) => (Number.isSafeInteger(value) ? (value as number) : REJECTED),
  );
}

export function boolean(description: string): FieldSpec<boolean> {
  return new FieldSpec(
    z.boolean(),
    { type: 'boolean', encoding: 'json_boolean', description, nullable: false },
    (value) => (typeof value === 'boolean' ? value : REJECTED),
  );
}

/** A number FMP may send as a string: converted with a check, never with a bare `Number()`. */
export function numericString(
  description: string,
  options: { readonly integer: boolean },
): FieldSpec<number> {
  return new FieldSpec(
    numericSchema(options),
    {
      type: options.integer ? 'bigint' : 'double',
      encoding: 'numeric_string',
      description,
      nullable: false,
    },
    (value) => {
      const parsed = parseNumeric(value, options);
      return typeof parsed === 'number' ? parsed : REJECTED;
    },
  );
}

/** `YYYY-MM-DD`, kept as that string: a calendar date is not an instant. */
export function isoDate(description: string): FieldSpec<string> {
  return new FieldSpec(
    z.string().refine(isIsoDate, { error: 'expected a date YYYY-MM-DD that exists' }),
    { type: 'date', encoding: 'iso_date', description, nullable: false },
    (value) => (typeof value === 'string' && isIsoDate(value) ? value : REJECTED),
  );
}

/** FMP's zone-less `YYYY-MM-DD HH:MM:SS`, kept as that string (see the encoding's note). */
export function fmpDateTime(description: string): FieldSpec<string> {
  return new FieldSpec(
    z.string().refine(isFmpDateTime, { error: 'expected a date-time "YYYY-MM-DD HH:MM:SS"' }),
    { type: 'timestamp', encoding: 'fmp_datetime', description, nullable: false },
    (value) => (typeof value === 'string' && isFmpDateTime(value) ? value : REJECTED),
  );
}

const MAX_UNIX_SECONDS = 253_402_300_799;

/** Unix seconds (FMP's quote `timestamp`). Milliseconds would be a different encoding. */
export function unixSeconds(description: string): FieldSpec<number> {
  // Up to 9999-12-31: a millisecond value (13 digits) lands far beyond and is refused.
  return new FieldSpec(
    wholeNumber()
      .min(0)
      .max(MAX_UNIX_SECONDS, { error: 'is too large for seconds (milliseconds?)' }),
    { type: 'timestamp', encoding: 'unix_seconds', description, nullable: false },
    (value) =>
      Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_UNIX_SECONDS
        ? (value as number)
        : REJECTED,
  );
}
