// Public API of @finks/contracts: one contract per ingested dataset, written once with zod and
// exported to JSON (PySpark, Glue) and dbt sources.

// The contracts
export { fmpQuotes } from './sources/fmp/quotes';
export { fmpEodPrices } from './sources/fmp/eod-prices';
export { fmpCompanyProfiles } from './sources/fmp/company-profiles';
export {
  fmpIncomeStatements,
  fmpBalanceSheets,
  fmpCashFlowStatements,
  FISCAL_PERIODS,
} from './sources/fmp/statements';
export { fmpNews } from './sources/fmp/news';
export { fmpSplits } from './sources/fmp/splits';
export { mongodbPortfolios } from './sources/mongodb/portfolios';
export { mongodbTransactions, TRANSACTION_TYPES } from './sources/mongodb/transactions';
export { CONTRACTS, findContract, findContractById } from './registry';
export type {
  FmpQuote,
  FmpEodPrice,
  FmpCompanyProfile,
  FmpIncomeStatement,
  FmpBalanceSheet,
  FmpCashFlowStatement,
  FmpNewsArticle,
  FmpSplit,
  MongodbPortfolio,
  MongodbTransaction,
} from './record-types';

// Contract shape
export {
  SOURCES,
  type ContractDefinition,
  type ContractRecord,
  type DatasetContract,
  type Freshness,
  type SilverColumn,
  type SourceSlug,
} from './contract';
export type { FieldMap } from './fields/field-spec';
export {
  SILVER_SCALAR_TYPES,
  isSilverType,
  type SilverType,
  type SilverScalarType,
  type SilverDecimalType,
} from './silver-types';
export { SOURCE_ENCODINGS, type SourceEncoding, type SourceEncodingName } from './encodings';
export { LINEAGE_COLUMNS, LOADED_AT_COLUMN, PARTITION_KEY } from './lineage';
export type { Comparator, Condition, Invariant, Literal, Operand } from './invariants/invariant';
export { invariantToSql } from './invariants/to-sql';

// Validation
export { validateRecord, type RecordValidation } from './validate-record';
export {
  formatIssuePath,
  formatRecordIssue,
  type RecordIssue,
  type RecordIssueCode,
} from './issues';
export { parseNumeric } from './fields/numeric-string';

// The bronze zone's format: the line every part holds and the manifest that makes a batch visible
export type {
  BronzeEnvelope,
  QuarantineEnvelope,
  QuarantineReason,
} from './bronze/bronze-envelope';
export {
  parseBatchManifest,
  type BatchManifest,
  type ManifestPart,
  type ManifestRunRef,
} from './bronze/batch-manifest';

// Generated files and drift
export { renderGeneratedFiles, type GeneratedFile } from './render/generated-files';
export { renderContractsJson, GENERATE_COMMAND } from './render/contracts-json';
export { renderDbtSources, SILVER_SCHEMA_EXPRESSION } from './render/dbt-sources';
export {
  checkGeneratedFiles,
  type DriftReport,
  type GeneratedFileCheck,
  type GeneratedFileStatus,
} from './drift/check-generated-files';
export { CONTRACTS_LIB_ROOT } from './lib-root';

// Errors
export { ContractError, type ContractErrorCode } from './errors/contract-error';
export { ContractDefinitionError } from './errors/contract-definition-error';
export { UnknownContractError } from './errors/unknown-contract-error';
export { BatchManifestError } from './errors/batch-manifest-error';
