/** Why a run report could not be written or checked; `code` is stable, the message names the fix. */
export type RunReportErrorCode =
  'invalid_options' | 'mart_unreadable' | 'chromium_missing' | 'browser_failed';

export class RunReportError extends Error {
  override name = 'RunReportError';

  constructor(
    readonly code: RunReportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
