import { createHash } from 'node:crypto';
import { IamNameError } from './iam-name-error';

/** What AWS accepts as the name of one kind of resource. */
export interface NameRule {
  /** For messages: `IAM role`, `ECR repository`… */
  readonly resource: string;
  readonly maxLength: number;
  /** The whole name, as AWS documents it. */
  readonly pattern: RegExp;
  /** `pattern` in words, for messages. */
  readonly described: string;
}

// 8 hex digits = 32 bits: two long names that share their first characters still get different
// names unless their hashes collide, about 1 in 4 billion per pair.
const HASH_LENGTH = 8;
// Never produced by a full name (components are kebab-case), so a shortened name cannot equal
// another input's full name.
const SHORTENED_MARK = '_';

function shortHash(fullName: string): string {
  return createHash('sha256').update(fullName).digest('hex').slice(0, HASH_LENGTH);
}

/**
 * The name itself when it fits; otherwise its longest prefix that leaves room for `_<hash>`,
 * where the hash is of the whole name. The same input always gives the same name, and two inputs
 * that only differ past the cut still differ in the hash.
 */
export function fitName(rule: NameRule, fullName: string): string {
  let name = fullName;
  if (fullName.length > rule.maxLength) {
    // Trailing separators are dropped so the mark never follows a -, / or . (ECR forbids that).
    const kept = fullName.slice(0, rule.maxLength - 1 - HASH_LENGTH).replace(/[^A-Za-z0-9]+$/, '');
    name = `${kept}${SHORTENED_MARK}${shortHash(fullName)}`;
  }
  // Our formats should always pass; this keeps a future format change from reaching AWS.
  if (name.length > rule.maxLength || !rule.pattern.test(name)) {
    throw new IamNameError({
      code: 'invalid_name',
      part: `${rule.resource} name`,
      value: name,
      problem: `breaks AWS's rule: ${rule.described}, at most ${rule.maxLength} characters`,
    });
  }
  return name;
}
