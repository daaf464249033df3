import { z } from 'zod';
import { SOURCE_ENCODINGS } from '../encodings';
import { decimal } from '../silver-types';
import { checkedConversion, numberConversion } from './checked-conversion';
import { FieldSpec, REJECTED } from './field-spec';
import { parseNumeric } from './numeric-string';

/*
 * MongoDB values arrive in whichever form the reader produced: driver objects (ObjectId, Date,
 * Decimal128), canonical extended JSON ({"$oid": …}) or plain strings. Each schema accepts all of
 * them and returns one form, so downstream code never branches on it.
 */

const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const ISO_INSTANT = new RegExp(SOURCE_ENCODINGS.mongo_date.pattern);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/** The hex string of an ObjectId in any of its forms, or `undefined`. */
function objectIdHex(value: unknown): string | undefined {
  if (typeof value === 'string') return OBJECT_ID.test(value) ? value.toLowerCase() : undefined;
  if (!isRecord(value)) return undefined;
  if ('$oid' in value) return objectIdHex(value['$oid']);
  // A bson ObjectId from the driver; duck-typed so this lib does not depend on `mongodb`.
  const toHexString = value['toHexString'];
  if (typeof toHexString === 'function') return objectIdHex(toHexString.call(value));
  return undefined;
}

/** A date in any of its forms, or `undefined`. ISO strings must carry a zone. */
function instant(value: unknown): Date | undefined {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'string') date = ISO_INSTANT.test(value) ? new Date(value) : undefined;
  else if (isRecord(value) && '$date' in value) {
    const inner = value['$date'];
    if (typeof inner === 'number') date = new Date(inner);
    else if (isRecord(inner) && typeof inner['$numberLong'] === 'string') {
      date = new Date(Number(inner['$numberLong']));
    } else return instant(inner);
  }
  return date !== undefined && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** A number in any of its forms: JSON number, extended JSON wrapper or driver Decimal128. */
function mongoNumber(value: unknown): number | string {
  if (isRecord(value)) {
    for (const key of ['$numberDecimal', '$numberDouble', '$numberLong', '$numberInt']) {
      if (key in value) return parseNumeric(value[key], { integer: false });
    }
    if (value['_bsontype'] === 'Decimal128' || value['_bsontype'] === 'Long') {
      return parseNumeric(String(value), { integer: false });
    }
    return 'expected a number or an extended JSON number ({"$numberDecimal": "…"})';
  }
  // Plain strings are not accepted: a string amount in Mongo is a bug upstream, not an encoding.
  if (typeof value === 'string')
    return `expected a number, got the string ${JSON.stringify(value)}`;
  return parseNumeric(value, { integer: false });
}

/** An ObjectId, returned as its lowercase 24-character hex string. */
export function objectId(description: string): FieldSpec<string> {
  return new FieldSpec(
    checkedConversion((value) => {
      const hex = objectIdHex(value);
      return hex === undefined
        ? { problem: 'expected an ObjectId (24 hex characters or {"$oid": …})' }
        : { value: hex };
    }),
    { type: 'string', encoding: 'mongo_object_id', description, nullable: false },
    (value) => objectIdHex(value) ?? REJECTED,
  );
}

/** An instant, returned as a `Date`. */
export function mongoDate(description: string): FieldSpec<Date> {
  return new FieldSpec(
    checkedConversion((value) => {
      const date = instant(value);
      return date === undefined
        ? { problem: 'expected a date: a Date, an ISO-8601 string with a zone, or {"$date": …}' }
        : { value: date };
    }),
    { type: 'timestamp', encoding: 'mongo_date', description, nullable: false },
    (value) => instant(value) ?? REJECTED,
  );
}

/**
 * A money amount or quantity: silver keeps it as decimal(38,9), so sums in dbt do not pick up
 * binary floating-point noise; nine places cover fractional shares and crypto quantities.
 */
export function money(description: string): FieldSpec<number> {
  return new FieldSpec(
    checkedConversion((value) => numberConversion(mongoNumber(value))),
    { type: decimal(38, 9), encoding: 'mongo_number', description, nullable: false },
    (value) => {
      const number = mongoNumber(value);
      return typeof number === 'number' ? number : REJECTED;
    },
  );
}

// ICU's list includes historic codes (e.g. DEM); they are still ISO 4217 codes, so accepted.
// The list depends on the Node/ICU version, so it is checked at ingestion only: the cleansings
// (contracts.json) get CURRENCY_CODE alone, and take "XYZ" that ingestion refuses.
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const CURRENCY_CODE = /^[A-Z]{3}$/;

/** An ISO 4217 currency code: three capital letters that name a currency. */
export function currencyCode(description: string): FieldSpec<string> {
  return new FieldSpec(
    z
      .string()
      .regex(CURRENCY_CODE, {
        error: 'expected an ISO 4217 code: three capital letters (e.g. "CAD")',
      })
      .refine((code) => CURRENCIES.has(code), { error: 'is not an ISO 4217 currency code' }),
    {
      type: 'string',
      encoding: 'json_string',
      description,
      nullable: false,
      pattern: CURRENCY_CODE.source,
    },
    (value) =>
      typeof value === 'string' && CURRENCY_CODE.test(value) && CURRENCIES.has(value)
        ? value
        : REJECTED,
  );
}
