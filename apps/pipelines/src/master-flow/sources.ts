// The sources stage's failure policy: every source runs; with `continue` the data of the sources
// that succeeded moves on and the failures are reported; with `fail` (or when every source
// failed) the stage fails, naming each failure.
export type SourceFailurePolicy = 'continue' | 'fail';

export interface StepFailure {
  readonly step: string;
  readonly error: string;
}

export interface Source {
  readonly step: string;
  readonly run: () => Promise<unknown>;
}

export class SourcesFailedError extends Error {
  override name = 'SourcesFailedError';
  readonly code = 'sources_failed';
  constructor(
    readonly failures: readonly StepFailure[],
    policy: SourceFailurePolicy,
    total: number,
  ) {
    super(
      `sources failed: ${failures.map((f) => `${f.step}: ${f.error}`).join('; ')}` +
        (failures.length < total ? ` (onSourceFailure is "${policy}")` : ' (every source failed)'),
    );
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs the sources in parallel; resolves with the failures the policy lets through. */
export async function runSourcesWithPolicy(
  sources: readonly Source[],
  policy: SourceFailurePolicy = 'continue',
): Promise<StepFailure[]> {
  const settled = await Promise.allSettled(sources.map((source) => source.run()));
  const failures = settled.flatMap((outcome, i) =>
    outcome.status === 'rejected'
      ? [{ step: sources[i]!.step, error: message(outcome.reason) }]
      : [],
  );
  if (failures.length > 0 && (failures.length === sources.length || policy === 'fail')) {
    throw new SourcesFailedError(failures, policy, sources.length);
  }
  return failures;
}
