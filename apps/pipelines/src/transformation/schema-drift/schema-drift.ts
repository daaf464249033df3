import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { findContractById, SOURCE_ENCODINGS, type DatasetContract } from '@finks/contracts';
import { driftReportKey, partitionDate } from '@finks/lake-paths';
import { linesSql } from '../bronze-to-silver/check-sql';
import { duckdbSettings, laneBudgets } from '../bronze-to-silver/duckdb-budget';
import {
  bucketFolder,
  localLake,
  manifestedBatches,
  type LocalLake,
  type LocalLakeOptions,
} from '../bronze-to-silver/local-lake';
import type { DriftReport, FieldCount, TypeChange } from './drift-report';
import { driftLinesSql } from './drift-sql';
import { queryRows } from '../../duckdb/query-rows';

export interface SchemaDriftOptions extends LocalLakeOptions {
  /** Contract ids, e.g. `fmp.eod_prices`. */
  readonly datasets: readonly string[];
  /** Bronze `dt` partitions (YYYY-MM-DD) whose manifested batches are read. */
  readonly dates: readonly string[];
  /** This validation run: the report's `run_id` and its key. */
  readonly runId: string;
}

/**
 * The schema-drift check of glue_scripts/validate_schemas.py on the local lake, in DuckDB: for
 * each dataset, the manifested bronze batches of `dates` against the contract — fields it does
 * not know, required fields missing, JSON types its encodings do not take. Each report is also
 * stored in the artifacts zone at `driftReportKey`, as the Glue job stores its own.
 */
export async function schemaDrift(options: SchemaDriftOptions): Promise<DriftReport[]> {
  if (options.dates.length === 0) {
    throw new Error('give the bronze dates to check (YYYY-MM-DD): the check reads their batches');
  }
  const lake = localLake(options);
  const dates = [...new Set(options.dates.map((dt) => partitionDate(dt, 'dates')))].sort();
  const contracts = options.datasets.map(findContractById);
  // The cleansing's budget for one lane: a share of memory and a temp folder of its own.
  const [budget] = laneBudgets({ lanes: 1, threads: 2 });
  const instance = await DuckDBInstance.create(':memory:', duckdbSettings(budget!));
  const connection = await instance.connect();
  try {
    const reports: DriftReport[] = [];
    for (const contract of contracts) {
      const report = await checkDataset(connection, lake, contract, dates, options.runId);
      const path = join(
        bucketFolder(lake, 'artifacts'),
        driftReportKey({
          source: contract.source,
          dataset: contract.dataset,
          runId: options.runId,
        }),
      );
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
      reports.push(report);
    }
    return reports;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

interface IssueCount {
  readonly kind: 'unknown' | 'missing' | 'type';
  readonly field: string;
  readonly observed: string | null;
  readonly records: number;
}

async function checkDataset(
  connection: DuckDBConnection,
  lake: LocalLake,
  contract: DatasetContract,
  dates: readonly string[],
  runId: string,
): Promise<DriftReport> {
  const batches = await manifestedBatches(lake, contract, dates);
  const paths = batches.flatMap((batch) => batch.paths);
  await connection.run(driftLinesSql(contract, linesSql(paths)));
  const [totals] = await queryRows(
    connection,
    'SELECT count(*)::INTEGER AS records, count(*) FILTER (WHERE unreadable)::INTEGER AS unreadable FROM drift_lines',
  );
  const issues = (await queryRows(
    connection,
    `SELECT i.kind AS kind, i.field AS field, i.observed AS observed, count(*)::INTEGER AS records
     FROM (SELECT unnest(issues) AS i FROM drift_lines) GROUP BY ALL`,
  )) as unknown as IssueCount[];
  await connection.run('DROP TABLE drift_lines');

  const byField = (a: { field: string }, b: { field: string }) =>
    a.field < b.field ? -1 : a.field > b.field ? 1 : 0;
  const counts = (kind: IssueCount['kind']): FieldCount[] =>
    issues
      .filter((issue) => issue.kind === kind)
      .map(({ field, records }) => ({ field, records }))
      .sort(byField);
  const encodingOf = new Map(
    contract.columns.map((column) => [column.sourceField ?? column.name, column.encoding]),
  );
  const changes = new Map<string, Record<string, number>>();
  for (const issue of issues.filter((i) => i.kind === 'type')) {
    const observed = changes.get(issue.field) ?? {};
    observed[issue.observed ?? ''] = issue.records;
    changes.set(issue.field, observed);
  }
  const typeChanges: TypeChange[] = [...changes.entries()]
    .map(([field, observed]) => {
      const encoding = encodingOf.get(field) ?? 'pipeline';
      return {
        field,
        encoding,
        expected: [...SOURCE_ENCODINGS[encoding].jsonTypes].sort(),
        observed: Object.fromEntries(Object.entries(observed).sort(([a], [b]) => (a < b ? -1 : 1))),
      };
    })
    .sort(byField);
  const unknown = counts('unknown');
  const missing = counts('missing');
  return {
    dataset: contract.id,
    run_id: runId,
    dates: [...dates],
    bronze_parts: paths.length,
    records: Number(totals?.['records'] ?? 0),
    unreadable_records: Number(totals?.['unreadable'] ?? 0),
    unknown_fields: unknown,
    missing_required_fields: missing,
    type_changes: typeChanges,
    drift: unknown.length > 0 || missing.length > 0 || typeChanges.length > 0,
  };
}
