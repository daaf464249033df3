export { IngestionError, type IngestionErrorCode } from './ingestion-error';
export { FmpRequestError, type FmpRequestContext } from './fmp-request-error';
export { ErrorBudgetError, type BatchAttempt } from './error-budget-error';
