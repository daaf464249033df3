import { IngestionError } from './ingestion-error';

export class ErrorBudgetError extends IngestionError {
  override readonly name = 'ErrorBudgetError';

  constructor(
    readonly dataset: string,
    readonly failed: number,
    readonly total: number,
    readonly budget: number,
    readonly quarantineLocation: string,
  ) {
    super(
      'error_budget',
      `${dataset}: ${failed} of ${total} records failed validation (${percent(failed / Math.max(total, 1))}), over the error budget of ${percent(budget)}; they are in ${quarantineLocation}. The batch was not manifested and no bookmark moved.`,
    );
  }
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)} %`;
}
