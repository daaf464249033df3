import type { ConfigIssue } from '../issues';

/** Stable codes callers can branch on; messages are for people and may change. */
export type ConfigErrorCode = 'invalid_config' | 'invalid_yaml' | 'unknown_env' | 'missing_file';

export interface ConfigErrorDetails {
  readonly file?: string;
  readonly issues?: readonly ConfigIssue[];
  readonly cause?: unknown;
}

/**
 * Every failure to produce a `FinksConfig`. Catch this one class; read `code` to tell the cases
 * apart and `issues` for the individual problems (each with the field path it concerns).
 */
export abstract class ConfigError extends Error {
  abstract readonly code: ConfigErrorCode;
  /** The config file the error is about, when there is one. */
  readonly file: string | undefined;
  readonly issues: readonly ConfigIssue[];

  protected constructor(message: string, details: ConfigErrorDetails = {}) {
    super(message, 'cause' in details ? { cause: details.cause } : undefined);
    this.file = details.file;
    this.issues = details.issues ?? [];
  }
}
