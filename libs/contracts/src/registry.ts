import type { DatasetContract } from './contract';
import { UnknownContractError } from './errors/unknown-contract-error';
import { fmpCompanyProfiles } from './sources/fmp/company-profiles';
import { fmpEodPrices } from './sources/fmp/eod-prices';
import { fmpNews } from './sources/fmp/news';
import { fmpQuotes } from './sources/fmp/quotes';
import { fmpSplits } from './sources/fmp/splits';
import {
  fmpBalanceSheets,
  fmpCashFlowStatements,
  fmpIncomeStatements,
} from './sources/fmp/statements';
import { mongodbPortfolios } from './sources/mongodb/portfolios';
import { mongodbTransactions } from './sources/mongodb/transactions';

/** Every dataset the platform ingests, in the order generated files list them. */
export const CONTRACTS: readonly DatasetContract[] = [
  fmpQuotes,
  fmpEodPrices,
  fmpCompanyProfiles,
  fmpIncomeStatements,
  fmpBalanceSheets,
  fmpCashFlowStatements,
  fmpNews,
  fmpSplits,
  mongodbPortfolios,
  mongodbTransactions,
];

export function findContract(source: string, dataset: string): DatasetContract {
  const contract = CONTRACTS.find((item) => item.source === source && item.dataset === dataset);
  if (contract === undefined) {
    throw new UnknownContractError(
      source,
      dataset,
      CONTRACTS.map((item) => item.id),
    );
  }
  return contract;
}

/** The contract named by its id, `<source>.<dataset>` (e.g. `fmp.eod_prices`). */
export function findContractById(id: string): DatasetContract {
  const dot = id.indexOf('.');
  return dot < 0 ? findContract(id, '') : findContract(id.slice(0, dot), id.slice(dot + 1));
}
