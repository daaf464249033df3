export type EcsDeployErrorCode =
  /** The input is not what `aws ecs describe-task-definition --output json` prints. */
  | 'invalid_description'
  /** The task family has no container of the requested name. */
  | 'missing_container'
  /** A container name or image reference is empty or malformed. */
  | 'invalid_argument';

/** Thrown when the next task revision cannot be built; `code` is stable, the message names the fix. */
export class EcsDeployError extends Error {
  override readonly name = 'EcsDeployError';
  readonly code: EcsDeployErrorCode;

  constructor(code: EcsDeployErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
