import { LakePathError } from './lake-path-error';

/**
 * The characters a value may bring into a key segment. S3 lists `0-9 a-z A-Z ! - _ . * ' ( )` as
 * safe for object keys (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html,
 * "Safe characters"). We keep the letters, digits and `- _ .`, and drop `! * ' ( )`: shells,
 * Hive partition values and Athena `LOCATION` strings all need those quoted or escaped.
 */
const VALUE_CHAR = /^[A-Za-z0-9._-]$/;
const VALUE_CHARS_RULE = "allowed: A-Z a-z 0-9 . _ -, S3's safe characters without ! * ' ( )";

/**
 * A whole segment of a key may also hold `=`. S3 puts `=` among characters that "might require
 * special handling", but `name=value` is the Hive partition layout Glue and Athena read, and it
 * only ever comes from our builders: values themselves cannot contain `=`, so no value can forge
 * a partition.
 */
const KEY_SEGMENT_CHAR = /^[A-Za-z0-9._=-]$/;
const KEY_SEGMENT_CHARS_RULE = "allowed: A-Z a-z 0-9 . _ - =, S3's safe characters plus Hive's =";

/** Lowercase identifiers such as a source (`fmp`), dataset (`eod_prices`) or mart name. */
const SLUG = /^[a-z][a-z0-9_]*$/;

function checkSegment(value: string, part: string, allowed: RegExp, rule: string): void {
  const fail = (problem: string): never => {
    throw new LakePathError({ code: 'invalid_segment', part, value, problem });
  };
  if (value === '') fail('is empty (a path segment needs at least one character)');
  if (value === '.' || value === '..') {
    fail('is a relative path segment ("." and ".." are not allowed)');
  }
  if (value.includes('/')) fail('contains "/" (a segment cannot contain the key separator)');
  for (const char of value) {
    if (!allowed.test(char))
      fail(`contains ${JSON.stringify(char)}, which is not allowed (${rule})`);
  }
}

/** Checks a value that becomes (part of) one key segment, such as a bookmark name. */
export function segmentValue(value: string, part: string): string {
  checkSegment(value, part, VALUE_CHAR, VALUE_CHARS_RULE);
  return value;
}

/** Checks a slug: a lowercase letter, then lowercase letters, digits or `_`. */
export function slug(value: string, part: string): string {
  segmentValue(value, part);
  if (!SLUG.test(value)) {
    throw new LakePathError({
      code: 'invalid_segment',
      part,
      value,
      problem:
        'is not a slug (expected a lowercase letter, then lowercase letters, digits or _: ^[a-z][a-z0-9_]*$)',
    });
  }
  return value;
}

/** Checks one `/`-separated segment of a key that came from outside, e.g. a parsed URI. */
export function keySegment(value: string, part: string): string {
  checkSegment(value, part, KEY_SEGMENT_CHAR, KEY_SEGMENT_CHARS_RULE);
  return value;
}
