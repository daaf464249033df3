import { defineContract } from '../../contract';
import type { FieldSpec } from '../../fields/field-spec';
import {
  double,
  fmpDateTime,
  isoDate,
  numericString,
  oneOf,
  text,
  ticker,
} from '../../fields/scalars';
import { compare } from '../../invariants/invariant';

/**
 * The three FMP financial statements share an 8-field header and differ only in their line items,
 * all numbers that may be null (new filers, items a company does not report).
 */

export const FISCAL_PERIODS = ['FY', 'Q1', 'Q2', 'Q3', 'Q4'] as const;

const statementHeader = {
  date: isoDate('Last day of the fiscal period the statement covers.').named('period_end_date'),
  symbol: ticker('Ticker symbol.'),
  reportedCurrency: text('Currency of every amount in the row (ISO 4217).').nullable(),
  cik: text('SEC Central Index Key, zero-padded.').nullable(),
  filingDate: isoDate('Date the filing was made; null for some non-SEC filers.').nullable(),
  acceptedDate: fmpDateTime(
    'When the regulator accepted the filing (zone-less, as FMP sends it).',
  ).nullable(),
  fiscalYear: numericString(
    'Fiscal year the period belongs to (FMP sends a string such as "2024").',
    {
      integer: true,
    },
  ),
  period: oneOf(FISCAL_PERIODS, 'FY for annual statements, Q1-Q4 for quarters.').named(
    'fiscal_period',
  ),
};

/** "researchAndDevelopmentExpenses" → "Research and development expenses". */
function humanise(field: string): string {
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Line items: amounts in `reported_currency` unless a description says otherwise. */
function lineItems<const Names extends readonly string[]>(
  names: Names,
  descriptions: Partial<Record<Names[number], string>> = {},
): { [Name in Names[number]]: FieldSpec<number | null> } {
  const descriptionOf = descriptions as Readonly<Record<string, string | undefined>>;
  // Object.fromEntries cannot carry the key union; the mapped type above states it.
  return Object.fromEntries(
    names.map((name) => [
      name,
      double(descriptionOf[name] ?? `${humanise(name)}, in the reported currency.`).nullable(),
    ]),
  ) as { [Name in Names[number]]: FieldSpec<number | null> };
}

const PER_SHARE_AND_COUNTS = {
  eps: 'Basic earnings per share, in the reported currency.',
  epsDiluted: 'Diluted earnings per share, in the reported currency.',
  weightedAverageShsOut: 'Weighted average basic shares outstanding (a count, not money).',
  weightedAverageShsOutDil: 'Weighted average diluted shares outstanding (a count, not money).',
};

const sharedStatementRules = {
  mode: 'incremental',
  primaryKey: ['symbol', 'period_end_date', 'fiscal_period'],
  // FMP has no "changed since" parameter for statements: runs fetch the latest N periods and
  // keep those past the watermark. filingDate and acceptedDate can be null, so the period end is
  // the one date every row has.
  cursor: 'period_end_date',
  partitionBy: 'period_end_date',
  invariants: [
    // Catches a two-digit or garbled year that still parses as a number.
    {
      name: 'fiscal_year_not_before_1900',
      description: 'fiscalYear must not be before 1900',
      require: compare('fiscal_year', '>=', 1900),
    },
    {
      name: 'fiscal_year_not_after_2200',
      description: 'fiscalYear must not be after 2200',
      require: compare('fiscal_year', '<=', 2200),
    },
  ],
  // Fetched weekly; filings themselves arrive quarterly.
  freshness: { warnAfterHours: 8 * 24, errorAfterHours: 15 * 24 },
} as const;

export const fmpIncomeStatements = defineContract({
  source: 'fmp',
  dataset: 'income_statements',
  description: 'Income statements per symbol and fiscal period (annual and quarterly).',
  origin: 'GET /stable/income-statement?symbol=…&period=…',
  ...sharedStatementRules,
  fields: {
    ...statementHeader,
    ...lineItems(
      [
        'revenue',
        'costOfRevenue',
        'grossProfit',
        'researchAndDevelopmentExpenses',
        'generalAndAdministrativeExpenses',
        'sellingAndMarketingExpenses',
        'sellingGeneralAndAdministrativeExpenses',
        'otherExpenses',
        'operatingExpenses',
        'costAndExpenses',
        'netInterestIncome',
        'interestIncome',
        'interestExpense',
        'depreciationAndAmortization',
        'ebitda',
        'ebit',
        'nonOperatingIncomeExcludingInterest',
        'operatingIncome',
        'totalOtherIncomeExpensesNet',
        'incomeBeforeTax',
        'incomeTaxExpense',
        'netIncomeFromContinuingOperations',
        'netIncomeFromDiscontinuedOperations',
        'otherAdjustmentsToNetIncome',
        'netIncome',
        'netIncomeDeductions',
        'bottomLineNetIncome',
        'eps',
        'epsDiluted',
        'weightedAverageShsOut',
        'weightedAverageShsOutDil',
      ],
      {
        ...PER_SHARE_AND_COUNTS,
        ebitda:
          'Earnings before interest, taxes, depreciation and amortisation, in the reported currency.',
        ebit: 'Earnings before interest and taxes, in the reported currency.',
      },
    ),
  },
});

export const fmpBalanceSheets = defineContract({
  source: 'fmp',
  dataset: 'balance_sheets',
  description:
    'Balance sheets per symbol and fiscal period (annual and quarterly), as of the period end.',
  origin: 'GET /stable/balance-sheet-statement?symbol=…&period=…',
  ...sharedStatementRules,
  fields: {
    ...statementHeader,
    ...lineItems([
      'cashAndCashEquivalents',
      'shortTermInvestments',
      'cashAndShortTermInvestments',
      'netReceivables',
      'accountsReceivables',
      'otherReceivables',
      'inventory',
      'prepaids',
      'otherCurrentAssets',
      'totalCurrentAssets',
      'propertyPlantEquipmentNet',
      'goodwill',
      'intangibleAssets',
      'goodwillAndIntangibleAssets',
      'longTermInvestments',
      'taxAssets',
      'otherNonCurrentAssets',
      'totalNonCurrentAssets',
      'otherAssets',
      'totalAssets',
      'totalPayables',
      'accountPayables',
      'otherPayables',
      'accruedExpenses',
      'shortTermDebt',
      'capitalLeaseObligationsCurrent',
      'taxPayables',
      'deferredRevenue',
      'otherCurrentLiabilities',
      'totalCurrentLiabilities',
      'longTermDebt',
      'capitalLeaseObligationsNonCurrent',
      'deferredRevenueNonCurrent',
      'deferredTaxLiabilitiesNonCurrent',
      'otherNonCurrentLiabilities',
      'totalNonCurrentLiabilities',
      'otherLiabilities',
      'capitalLeaseObligations',
      'totalLiabilities',
      'treasuryStock',
      'preferredStock',
      'commonStock',
      'retainedEarnings',
      'additionalPaidInCapital',
      'accumulatedOtherComprehensiveIncomeLoss',
      'otherTotalStockholdersEquity',
      'totalStockholdersEquity',
      'totalEquity',
      'minorityInterest',
      'totalLiabilitiesAndTotalEquity',
      'totalInvestments',
      'totalDebt',
      'netDebt',
    ]),
  },
});

export const fmpCashFlowStatements = defineContract({
  source: 'fmp',
  dataset: 'cash_flow_statements',
  description: 'Cash flow statements per symbol and fiscal period (annual and quarterly).',
  origin: 'GET /stable/cash-flow-statement?symbol=…&period=…',
  ...sharedStatementRules,
  fields: {
    ...statementHeader,
    ...lineItems(
      [
        'netIncome',
        'depreciationAndAmortization',
        'deferredIncomeTax',
        'stockBasedCompensation',
        'changeInWorkingCapital',
        'accountsReceivables',
        'inventory',
        'accountsPayables',
        'otherWorkingCapital',
        'otherNonCashItems',
        'netCashProvidedByOperatingActivities',
        'investmentsInPropertyPlantAndEquipment',
        'acquisitionsNet',
        'purchasesOfInvestments',
        'salesMaturitiesOfInvestments',
        'otherInvestingActivities',
        'netCashProvidedByInvestingActivities',
        'netDebtIssuance',
        'longTermNetDebtIssuance',
        'shortTermNetDebtIssuance',
        'netStockIssuance',
        'netCommonStockIssuance',
        'commonStockIssuance',
        'commonStockRepurchased',
        'netPreferredStockIssuance',
        'netDividendsPaid',
        'commonDividendsPaid',
        'preferredDividendsPaid',
        'otherFinancingActivities',
        'netCashProvidedByFinancingActivities',
        'effectOfForexChangesOnCash',
        'netChangeInCash',
        'cashAtEndOfPeriod',
        'cashAtBeginningOfPeriod',
        'operatingCashFlow',
        'capitalExpenditure',
        'freeCashFlow',
        'incomeTaxesPaid',
        'interestPaid',
      ],
      {
        capitalExpenditure: 'Capital expenditure, in the reported currency (negative: cash spent).',
        freeCashFlow: 'Operating cash flow plus capital expenditure, in the reported currency.',
      },
    ),
  },
});
