export { IngestionError, type IngestionErrorCode } from './ingestion-error';
export { FmpRequestError, type FmpRequestContext } from './fmp-request-error';
export { ErrorBudgetError } from './error-budget-error';
