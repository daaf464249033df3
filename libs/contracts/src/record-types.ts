import type { ContractRecord } from './contract';
import type { fmpCompanyProfiles } from './sources/fmp/company-profiles';
import type { fmpEodPrices } from './sources/fmp/eod-prices';
import type { fmpNews } from './sources/fmp/news';
import type { fmpQuotes } from './sources/fmp/quotes';
import type { fmpSplits } from './sources/fmp/splits';
import type {
  fmpBalanceSheets,
  fmpCashFlowStatements,
  fmpIncomeStatements,
} from './sources/fmp/statements';
import type { mongodbPortfolios } from './sources/mongodb/portfolios';
import type { mongodbTransactions } from './sources/mongodb/transactions';

/** The validated record of each contract, as `validateRecord` returns it. */
export type FmpQuote = ContractRecord<(typeof fmpQuotes)['fields']>;
export type FmpEodPrice = ContractRecord<(typeof fmpEodPrices)['fields']>;
export type FmpCompanyProfile = ContractRecord<(typeof fmpCompanyProfiles)['fields']>;
export type FmpIncomeStatement = ContractRecord<(typeof fmpIncomeStatements)['fields']>;
export type FmpBalanceSheet = ContractRecord<(typeof fmpBalanceSheets)['fields']>;
export type FmpCashFlowStatement = ContractRecord<(typeof fmpCashFlowStatements)['fields']>;
export type FmpNewsArticle = ContractRecord<(typeof fmpNews)['fields']>;
export type FmpSplit = ContractRecord<(typeof fmpSplits)['fields']>;
export type MongodbPortfolio = ContractRecord<(typeof mongodbPortfolios)['fields']>;
export type MongodbTransaction = ContractRecord<(typeof mongodbTransactions)['fields']>;
