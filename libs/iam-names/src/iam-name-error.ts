export type IamNameErrorCode =
  'invalid_app' | 'invalid_env' | 'invalid_zone' | 'invalid_component' | 'invalid_name';

export interface IamNameErrorDetails {
  readonly code: IamNameErrorCode;
  /** The input that is wrong, named as the caller knows it: `app`, `env`, `component`… */
  readonly part: string;
  /** The offending input, exactly as given. */
  readonly value: string;
  /** Completes the sentence `<part> "<value>" …`: what is wrong and which rule it breaks. */
  readonly problem: string;
}

const MAX_QUOTED_CHARS = 120;

function quote(value: string): string {
  const shown = value.length > MAX_QUOTED_CHARS ? `${value.slice(0, MAX_QUOTED_CHARS)}…` : value;
  return JSON.stringify(shown);
}

/** Thrown when a resource name cannot be built from the inputs; `code` is stable. */
export class IamNameError extends Error {
  override readonly name = 'IamNameError';
  readonly code: IamNameErrorCode;
  readonly part: string;
  readonly value: string;

  constructor(details: IamNameErrorDetails) {
    super(`${details.part} ${quote(details.value)} ${details.problem}`);
    this.code = details.code;
    this.part = details.part;
    this.value = details.value;
  }
}
