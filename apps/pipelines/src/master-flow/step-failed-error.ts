/** A step of the master flow (a child command) failed; carries the tail of its log. */
export class StepFailedError extends Error {
  override name = 'StepFailedError';
  readonly code = 'step_failed';

  constructor(
    readonly step: string,
    readonly reason: string,
    readonly logTail: readonly string[],
  ) {
    super(
      `${step} ${reason}` +
        (logTail.length > 0 ? `; last log lines:\n  ${logTail.slice(-10).join('\n  ')}` : ''),
    );
  }
}
