import type { Brand, InZone } from './brand';
import { LakePathError } from './lake-path-error';
import { keySegment } from './segment';
import type { Zone } from './zone';

/** S3's limit on an object key: 1024 bytes of UTF-8, not 1024 characters. */
export const MAX_KEY_BYTES = 1024;

/** The key of one object in a lake bucket: no leading or trailing `/`. */
export type LakeKey<Z extends Zone = Zone> = Brand<string, 'LakeKey'> & InZone<Z>;

/**
 * A "folder" in a lake bucket, ending in `/`: a Glue table or partition location, a prefix to
 * list. Kept apart from `LakeKey` so a prefix is never written as an object.
 */
export type LakePrefix<Z extends Zone = Zone> = Brand<string, 'LakePrefix'> & InZone<Z>;

function assertKeyLength(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes <= MAX_KEY_BYTES) return;
  throw new LakePathError({
    code: 'key_too_long',
    part: 'key',
    value: key,
    problem: `is ${bytes} bytes of UTF-8, over S3's ${MAX_KEY_BYTES}-byte limit for object keys`,
  });
}

/** Joins already-checked segments into an object key. */
export function joinKey<Z extends Zone>(segments: readonly string[]): LakeKey<Z> {
  const key = segments.join('/');
  assertKeyLength(key);
  return key as LakeKey<Z>;
}

/** Joins already-checked segments into a prefix (with its trailing `/`). */
export function joinPrefix<Z extends Zone>(segments: readonly string[]): LakePrefix<Z> {
  const prefix = `${segments.join('/')}/`;
  assertKeyLength(prefix);
  return prefix as LakePrefix<Z>;
}

/** Checks a whole key from outside and returns its segments. */
export function keySegments(value: string, kind: 'key' | 'prefix'): string[] {
  const fail = (problem: string): never => {
    throw new LakePathError({ code: 'invalid_key', part: kind, value, problem });
  };
  if (value === '') fail('is empty');
  if (value.startsWith('/')) fail('starts with "/" (lake keys are relative to their bucket)');
  const isPrefix = value.endsWith('/');
  if (kind === 'key' && isPrefix) fail('ends with "/", which makes it a prefix, not an object key');
  if (kind === 'prefix' && !isPrefix) fail('does not end with "/", which every prefix must');
  assertKeyLength(value);
  const segments = (kind === 'prefix' ? value.slice(0, -1) : value).split('/');
  for (const segment of segments) keySegment(segment, `${kind} segment`);
  return segments;
}

/** Checks any object key against the lake's rules, whatever layout it follows. */
export function parseLakeKey(value: string): LakeKey {
  keySegments(value, 'key');
  return value as LakeKey;
}

/** Checks any prefix against the lake's rules, whatever layout it follows. */
export function parseLakePrefix(value: string): LakePrefix {
  keySegments(value, 'prefix');
  return value as LakePrefix;
}

export function isLakePrefix<Z extends Zone>(
  key: LakeKey<Z> | LakePrefix<Z>,
): key is LakePrefix<Z> {
  return key.endsWith('/');
}
