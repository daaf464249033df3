import {
  type DatasetContract,
  fmpBalanceSheets,
  fmpCashFlowStatements,
  fmpIncomeStatements,
} from '@finks/contracts';
import type { FmpStream } from './stream';

/**
 * Statements have no date filter on the API: each request reads the latest `limit` periods and
 * keeps those after the bookmark (per symbol and period type), by period end date.
 */
function statementStream(contract: DatasetContract, endpoint: string): FmpStream {
  return {
    contract,
    cursorField: 'date',
    plan: ({ symbols, cursors, periods, statementLimit }) =>
      symbols.flatMap((symbol) =>
        periods.map((period) => {
          const entity = `${symbol}:${period}`;
          return {
            entity,
            endpoint,
            params: { symbol, period, limit: String(statementLimit) },
            paged: false,
            after: cursors[entity] ?? null,
          };
        }),
      ),
  };
}

export const incomeStatementsStream = statementStream(fmpIncomeStatements, 'income-statement');
export const balanceSheetsStream = statementStream(fmpBalanceSheets, 'balance-sheet-statement');
export const cashFlowStatementsStream = statementStream(
  fmpCashFlowStatements,
  'cash-flow-statement',
);
