// Test data for code that consumes @finks/contracts (fake FMP servers, Mongo seeders); imported
// as `@finks/contracts/testing`, never from runtime code.
import {
  fmpBalanceSheetPayload,
  fmpCashFlowStatementPayload,
  fmpCompanyProfilePayload,
  fmpEodPricePayload,
  fmpIncomeStatementPayload,
  fmpNewsPayload,
  fmpQuotePayload,
  fmpSplitPayload,
} from './fmp-payloads';
import { mongodbPortfolioDocuments, mongodbTransactionDocuments } from './mongodb-documents';

export * from './fmp-payloads';
export * from './mongodb-documents';

/** Valid raw records per contract id (`fmp.eod_prices`), several shapes each. */
export const VALID_RECORDS: Readonly<Record<string, readonly unknown[]>> = {
  'fmp.quotes': fmpQuotePayload,
  'fmp.eod_prices': fmpEodPricePayload,
  'fmp.company_profiles': fmpCompanyProfilePayload,
  'fmp.income_statements': fmpIncomeStatementPayload,
  'fmp.balance_sheets': fmpBalanceSheetPayload,
  'fmp.cash_flow_statements': fmpCashFlowStatementPayload,
  'fmp.news': fmpNewsPayload,
  'fmp.splits': fmpSplitPayload,
  'mongodb.portfolios': mongodbPortfolioDocuments,
  'mongodb.transactions': mongodbTransactionDocuments,
};
