import { companyProfilesStream } from './company-profiles';
import { eodPricesStream } from './eod-prices';
import { newsStream } from './news';
import { quotesStream } from './quotes';
import { splitsStream } from './splits';
import {
  balanceSheetsStream,
  cashFlowStatementsStream,
  incomeStatementsStream,
} from './statements';
import type { FmpStream } from './stream';

/** In the order a run ingests them: splits before eod_prices, whose plan reads their bookmarks. */
export const FMP_STREAMS = {
  quotes: quotesStream,
  splits: splitsStream,
  eod_prices: eodPricesStream,
  company_profiles: companyProfilesStream,
  income_statements: incomeStatementsStream,
  balance_sheets: balanceSheetsStream,
  cash_flow_statements: cashFlowStatementsStream,
  news: newsStream,
} as const satisfies Record<string, FmpStream>;

export type FmpDataset = keyof typeof FMP_STREAMS;
export const FMP_DATASETS = Object.keys(FMP_STREAMS) as FmpDataset[];

export function isFmpDataset(value: string): value is FmpDataset {
  return Object.hasOwn(FMP_STREAMS, value);
}

export type { FmpStream, FmpRequestUnit, PlanInput } from './stream';
