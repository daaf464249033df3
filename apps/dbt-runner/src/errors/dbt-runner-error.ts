export type DbtRunnerErrorCode =
  | 'dbt_not_found'
  | 'dbt_crashed'
  | 'invalid_run_results'
  | 'missing_artifact'
  | 'artifact_store_missing'
  | 'invalid_option';

/** Base of the runner's errors: a stable `code`, the standard `cause`, and what was involved. */
export class DbtRunnerError extends Error {
  override readonly name: string = 'DbtRunnerError';
  readonly code: DbtRunnerErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: DbtRunnerErrorCode,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}
