export type PlanErrorCode = 'bad_tag' | 'unknown_project' | 'not_deployable' | 'cycle' | 'nx';

/** A plan that cannot be made; the message names the fix. */
export class PlanError extends Error {
  override readonly name = 'PlanError';

  constructor(
    readonly code: PlanErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
