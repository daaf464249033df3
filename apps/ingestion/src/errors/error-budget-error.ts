import { IngestionError } from './ingestion-error';

/**
 * Where a batch stands among the attempts its connector allows: a batch over the budget fails
 * every attempt but the last, which commits it anyway (its invalid records are in quarantine).
 */
export interface BatchAttempt {
  /** This attempt, from 1. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** What the next run repeats: an FMP or MongoDB `plan`, a news `micro-batch`. */
  readonly unit: 'plan' | 'micro-batch';
}

export class ErrorBudgetError extends IngestionError {
  override readonly name = 'ErrorBudgetError';

  constructor(
    readonly dataset: string,
    readonly failed: number,
    readonly total: number,
    readonly budget: number,
    readonly quarantineLocation: string,
    readonly batchAttempt?: BatchAttempt,
  ) {
    super(
      'error_budget',
      `${dataset}: ${failed} of ${total} records failed validation (${percent(failed / Math.max(total, 1))}), over the error budget of ${percent(budget)}; they are in ${quarantineLocation}. The batch was not manifested and no bookmark moved.${whatNext(budget, batchAttempt)}`,
    );
  }
}

/** Without it an operator saw the same failure every run and could not tell it would end. */
function whatNext(budget: number, at: BatchAttempt | undefined): string {
  if (at === undefined || at.attempt >= at.maxAttempts) return '';
  const sooner = `run again with an --error-budget above ${percent(budget)} to commit it now`;
  const next = at.attempt + 1;
  return next >= at.maxAttempts
    ? ` The next run repeats this ${at.unit} as attempt ${next} of ${at.maxAttempts}, the last, which commits it anyway (the invalid records stay in quarantine); or ${sooner}.`
    : ` The next run repeats this ${at.unit} (attempt ${next} of ${at.maxAttempts}); attempt ${at.maxAttempts} of ${at.maxAttempts} commits it anyway (the invalid records stay in quarantine); or ${sooner}.`;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)} %`;
}
