export type LakePathErrorCode =
  | 'invalid_env'
  | 'invalid_zone'
  | 'invalid_account_id'
  | 'invalid_bucket'
  | 'invalid_date'
  | 'invalid_run_id'
  | 'invalid_part_number'
  | 'invalid_segment'
  | 'invalid_key'
  | 'key_too_long'
  | 'invalid_uri'
  | 'invalid_local_path';

export interface LakePathErrorDetails {
  readonly code: LakePathErrorCode;
  /** The part of the location that is wrong, named as the caller knows it: `dt`, `source`, `bucket`… */
  readonly part: string;
  /** The offending input, exactly as given. */
  readonly value: string;
  /** Completes the sentence `<part> "<value>" …`: what is wrong and which rule it breaks. */
  readonly problem: string;
  readonly cause?: unknown;
}

// Keys can be a kilobyte long; the message stays readable and `value` keeps the whole input.
const MAX_QUOTED_CHARS = 120;

function quote(value: string): string {
  const shown = value.length > MAX_QUOTED_CHARS ? `${value.slice(0, MAX_QUOTED_CHARS)}…` : value;
  return JSON.stringify(shown);
}

/** Thrown for any lake location input that breaks a rule; `code` is stable, the message is for people. */
export class LakePathError extends Error {
  override readonly name = 'LakePathError';
  readonly code: LakePathErrorCode;
  readonly part: string;
  readonly value: string;

  constructor(details: LakePathErrorDetails) {
    super(
      `${details.part} ${quote(details.value)} ${details.problem}`,
      'cause' in details ? { cause: details.cause } : undefined,
    );
    this.code = details.code;
    this.part = details.part;
    this.value = details.value;
  }
}
