import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  PARTITION_KEY,
  findContractById,
  type BatchManifest,
  type DatasetContract,
} from '@finks/contracts';
import {
  cleansingRejectsKey,
  cleansingRejectsManifestKey,
  cleansingRejectsPrefix,
  parseRunId,
  partitionDate,
  silverDatasetPrefix,
  type BatchRunRef,
} from '@finks/lake-paths';
import type { CleansingReject } from './cleansing-reject';
import { checkSql, linesSql } from './check-sql';
import { duckdbSettings, flushThresholdRows, laneBudgets, type LaneBudget } from './duckdb-budget';
import { duckdbType, ident, sqlString } from './contract-sql';
import {
  bronzeDates,
  bucketFolder,
  forgetCleansed,
  isCleansed,
  localLake,
  manifestedBatches,
  recordCleansed,
  type BronzeBatch,
  type LocalLake,
  type LocalLakeOptions,
} from './local-lake';
import { queryRows } from '../../duckdb/query-rows';
import { CATCH_UP_DAYS, catchUpDates } from './catch-up-window';
import { LOCK_TIMEOUT_MS, lockDataset } from './dataset-lock';
import { recoverStaging, stagingFolder, swapPartitions } from './partition-swap';
import { PartitionSwapError } from './partition-swap-error';

/**
 * - `all`: every complete batch of `dates` (a backfill); merged with what silver holds.
 * - `pending`: only the batches the silver ledger does not list as cleansed at their current
 *   write; what a scheduled run wants, as a day's bronze grows run by run. Without `dates`, the
 *   catch-up window up to now (catch-up-window.ts).
 * - `rebuild`: every complete batch of every bronze date (`dates` must be empty), into a table
 *   built anew: no merge with the old rows, partitions no batch gives any more are removed, and
 *   the ledger starts over. After a contract change, the rows it now rejects leave silver.
 */
export const BATCH_SELECTIONS = ['all', 'pending', 'rebuild'] as const;
export type BatchSelection = (typeof BATCH_SELECTIONS)[number];

/**
 * What is wrong with asking for `batches` of `dates`, or null: a backfill (`all`) needs its dates,
 * a rebuild reads every bronze date and takes none, and `pending` takes dates or reads the
 * catch-up window. The flow's parameter schema (and so `pipelines:validate` on every deployment),
 * the CLI and bronzeToSilver all ask this, so each refuses the same requests with the same words.
 */
export function batchSelectionProblem(
  batches: BatchSelection,
  dates: readonly string[],
): string | null {
  if (batches === 'rebuild' && dates.length > 0) {
    return (
      `a rebuild reads every bronze date of each dataset, so it takes no dates (got ${dates.join(', ')}); ` +
      'drop the dates, or cleanse them with batches "all" to merge with silver instead'
    );
  }
  if (batches === 'all' && dates.length === 0) {
    return (
      'batches "all" cleanses every batch of the bronze dates it is given (a backfill), and got ' +
      'none: give the dates, or ask for batches "pending" without dates (the batches silver ' +
      `lacks over the last ${CATCH_UP_DAYS} UTC days and today), or "rebuild" (every date)`
    );
  }
  return null;
}

/**
 * The bronze dates a request reads: the ones given, or for `pending` without any the catch-up
 * window up to `now`. A rebuild's dates stay empty: it finds every bronze date per dataset.
 */
export function datesToCleanse(
  batches: BatchSelection,
  dates: readonly string[],
  now: Date,
): string[] {
  return batches === 'pending' && dates.length === 0 ? catchUpDates(now) : [...dates];
}

export interface BronzeToSilverOptions extends LocalLakeOptions {
  /** Contract ids, e.g. `fmp.eod_prices`. */
  readonly datasets: readonly string[];
  /**
   * Bronze `dt` partitions (YYYY-MM-DD) to read; empty with `batches: 'rebuild'`, and with
   * `'pending'` empty means the catch-up window up to now.
   */
  readonly dates: readonly string[];
  /**
   * This run (the correlation id): each quarantined record's `rejected_by.run_id`. Rejects are
   * filed under the bronze batch they came from, so cleansing it again replaces them.
   */
  readonly runId: string;
  /** Which bronze batches to read; default `all`. See BatchSelection. */
  readonly batches?: BatchSelection;
  /**
   * Memory the cleansing's DuckDB instances share (split between the lanes); beyond it they
   * spill to a temp folder. Default: CLEANSING_MEMORY_SHARE of the memory available.
   */
  readonly memoryLimitBytes?: number;
  /**
   * How long to wait for another cleansing of a dataset to finish (each dataset is cleansed by one
   * run at a time); default LOCK_TIMEOUT_MS.
   */
  readonly lockTimeoutMs?: number;
  /** Where notes go (a stale lock taken over, partitions a crashed run left aside put back). */
  readonly log?: (line: string) => void;
}

export interface DatasetCleansingSummary {
  readonly dataset: string;
  readonly runId: string;
  readonly dates: readonly string[];
  /** Complete bronze batches (run × dt) read. */
  readonly bronzeBatches: number;
  /** Batches of `dates` skipped because the ledger lists them (only with `pending`). */
  readonly batchesAlreadyCleansed: number;
  readonly bronzeParts: number;
  readonly recordsRead: number;
  readonly valid: number;
  readonly quarantined: number;
  /** Reasons by code (a record may have several). */
  readonly quarantineReasons: Readonly<Record<string, number>>;
  /** Silver `dt` partitions rewritten. */
  readonly silverPartitions: readonly string[];
  /** Rows in those partitions after the run. */
  readonly silverRowsInPartitions: number;
  /**
   * Wall seconds of each phase: reading and checking bronze, writing quarantine, and merging and
   * writing silver (one Parquet file per `dt` partition: thousands on a full load).
   */
  readonly seconds: {
    readonly check: number;
    readonly quarantine: number;
    readonly silver: number;
  };
}

/**
 * Bronze → silver on the local lake with DuckDB: the same cleansing as the Glue job
 * (glue_scripts/cleanse_market_data.py) for each dataset. Reads only manifested bronze parts of
 * `dates` (with `pending`, of the batches the silver ledger lacks); quarantines rejects with
 * their reasons beside the bronze batch each came from
 * (`…/run=<bronze run>/stage=bronze_to_silver/`, replaced when the batch is cleansed again);
 * rewrites the silver partitions it touches, merged with the rows already there, so reruns
 * change nothing; then records the batches in the ledger. Holds each dataset's lock
 * (dataset-lock.ts) throughout, and first puts back what a crashed run left (partition-swap.ts).
 */
export async function bronzeToSilver(
  options: BronzeToSilverOptions,
): Promise<DatasetCleansingSummary[]> {
  const lake = localLake(options);
  // The run id names the staging folder: one that is not a run id (`x/../dataset=…`) could point
  // it at the table itself. LakePathError (code invalid_run_id) says what a run id looks like.
  const runId = parseRunId(options.runId, 'runId');
  const log = options.log ?? ((line: string) => console.error(line));
  const batches = options.batches ?? 'all';
  const problem = batchSelectionProblem(batches, options.dates);
  if (problem !== null) throw new Error(problem);
  const dates = [
    ...new Set(
      datesToCleanse(batches, options.dates, new Date()).map((dt) => partitionDate(dt, 'dates')),
    ),
  ].sort();
  // A dataset asked for twice would be cleansed by two lanes into one staging folder.
  const contracts = [...new Set(options.datasets)].map(findContractById);
  const silverBucket = bucketFolder(lake, 'silver');
  const releases: (() => Promise<void>)[] = [];
  try {
    // Every lock before any work (planning reads the ledger), always in the same order, so no two
    // runs each hold a lock the other waits for.
    for (const contract of [...contracts].sort((a, b) => a.id.localeCompare(b.id))) {
      releases.push(
        await lockDataset(silverBucket, contract, runId, {
          timeoutMs: options.lockTimeoutMs ?? LOCK_TIMEOUT_MS,
          log,
        }),
      );
      const datasetFolder = join(silverBucket, silverDatasetPrefix(contract));
      const restored = await recoverStaging(datasetFolder, contract);
      if (restored.length > 0) {
        log(
          `${contract.id}: put back partitions a crashed cleansing had moved aside: ` +
            restored.map((dt) => `dt=${dt}`).join(', '),
        );
      }
    }
    return await cleanseLocked(lake, contracts, dates, batches, runId, options.memoryLimitBytes);
  } finally {
    await Promise.all(releases.map((release) => release()));
  }
}

/** The cleansing of `contracts`, whose locks this run holds. */
async function cleanseLocked(
  lake: LocalLake,
  contracts: readonly DatasetContract[],
  dates: readonly string[],
  batches: BatchSelection,
  runId: string,
  memoryLimitBytes: number | undefined,
): Promise<DatasetCleansingSummary[]> {
  const plans = await Promise.all(
    contracts.map((contract) => planDataset(lake, contract, dates, batches)),
  );
  // Largest first: the lane that takes the largest dataset works longest, so the other lane
  // takes all the rest while it does.
  const order = plans
    .map((plan, index) => ({ index, rows: plan.rows }))
    .sort((a, b) => b.rows - a.rows)
    .map(({ index }) => index);
  const lanes: Lane[] = [];
  try {
    const budgets = laneBudgets({
      lanes: Math.min(DATASET_LANES, plans.length),
      threads: DUCKDB_THREADS,
      ...(memoryLimitBytes === undefined ? {} : { memoryBytes: memoryLimitBytes }),
    });
    for (const budget of budgets) lanes.push(await openLane(budget));
    const summaries: DatasetCleansingSummary[] = new Array(plans.length);
    let next = 0;
    // After a failure no lane starts another dataset (the one in flight finishes).
    let failing = false;
    const work = lanes.map(async (lane) => {
      for (let taken = next++; taken < order.length && !failing; taken = next++) {
        const index = order[taken] as number;
        try {
          summaries[index] = await cleanseDataset(lane, lake, plans[index] as DatasetPlan, runId);
        } catch (error) {
          failing = true;
          throw error;
        }
      }
    });
    // Every lane settles before the instances close, even when one fails.
    const failed = (await Promise.allSettled(work)).find((lane) => lane.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return summaries;
  } finally {
    for (const lane of lanes) lane.close();
  }
}

/** The cores the cleansing may use (issue #7's budget is 2). */
const DUCKDB_THREADS = 2;

/**
 * Datasets cleansed at once, each lane in its own DuckDB instance with its share of the threads.
 * Much of a dataset's work keeps one core busy, not two (one bronze part is read by one thread,
 * partitions are created one after the other, the Node side waits), so a second dataset in flight
 * uses the other (issue #7: the silver step took ≈ 20 % less wall time, the same CPU). One
 * instance running two queries at once spent about half again the CPU, hence two instances.
 */
const DATASET_LANES = 2;

interface Lane {
  readonly connection: DuckDBConnection;
  readonly budget: LaneBudget;
  close(): void;
}

async function openLane(budget: LaneBudget): Promise<Lane> {
  const instance = await DuckDBInstance.create(':memory:', duckdbSettings(budget));
  const connection = await instance.connect();
  return {
    connection,
    budget,
    // DuckDB removes its temp folder when the instance closes.
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** What a dataset's cleansing reads, decided before any lane starts. */
interface DatasetPlan {
  readonly contract: DatasetContract;
  readonly selection: BatchSelection;
  /** The bronze dates read: the ones asked for, or every one for a rebuild. */
  readonly dates: readonly string[];
  /** Complete batches of those dates. */
  readonly complete: number;
  /** The ones to read: all complete batches, or with `pending` those the ledger lacks. */
  readonly batches: readonly BronzeBatch[];
  /** Their records, as the manifests count them. */
  readonly rows: number;
}

async function planDataset(
  lake: LocalLake,
  contract: DatasetContract,
  dates: readonly string[],
  selection: BatchSelection,
): Promise<DatasetPlan> {
  const readDates = selection === 'rebuild' ? await bronzeDates(lake, contract) : dates;
  const complete = await manifestedBatches(lake, contract, readDates);
  const cleansed =
    selection === 'pending'
      ? await inBatches(complete, (batch) => isCleansed(lake, contract, batch))
      : complete.map(() => false);
  const batches = complete.filter((_, index) => !cleansed[index]);
  return {
    contract,
    selection,
    dates: readDates,
    complete: complete.length,
    batches,
    rows: batches.reduce((sum, batch) => sum + batch.rows, 0),
  };
}

/** `<bronze dt>/run=<runId>`, as the check's `bronze_batch` column names a line's batch. */
const batchName = (batch: BronzeBatch) => `${batch.dt}/run=${batch.runId}`;

/** Milliseconds from performance.now() as seconds, to the millisecond. */
const secondsBetween = (from: number, to: number) => Math.round(to - from) / 1000;

async function run(connection: DuckDBConnection, sql: string): Promise<void> {
  await connection.run(sql);
}

/** The `dt=` folders of a silver table and the Parquet files in each, or none yet. */
async function silverPartitionFiles(
  datasetFolder: string,
  dates: readonly string[],
): Promise<Map<string, string[]>> {
  let folders: string[];
  try {
    folders = await readdir(datasetFolder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const present = new Set(folders);
  const wanted = dates.filter((dt) => present.has(`dt=${dt}`));
  const files = await inBatches(wanted, async (dt) => {
    const folder = join(datasetFolder, `dt=${dt}`);
    const names = (await readdir(folder)).filter((name) => name.endsWith('.parquet'));
    return [dt, names.map((name) => join(folder, name))] as const;
  });
  return new Map(files);
}

// A full load touches thousands of partitions; the file system answers faster when asked a few
// things at once (libuv's pool has 4 threads) than one after the other.
const FS_CONCURRENCY = 16;

async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += FS_CONCURRENCY) {
    results.push(...(await Promise.all(items.slice(start, start + FS_CONCURRENCY).map(work))));
  }
  return results;
}

async function cleanseDataset(
  lane: Lane,
  lake: LocalLake,
  plan: DatasetPlan,
  runId: string,
): Promise<DatasetCleansingSummary> {
  const { connection } = lane;
  const started = performance.now();
  const { contract, batches } = plan;
  const rebuild = plan.selection === 'rebuild';
  const parts = batches.flatMap((batch) => batch.paths);
  await run(connection, checkSql(contract, linesSql(parts)));

  const rejected = await queryRows(
    connection,
    `SELECT bronze_batch, line, reasons FROM checked WHERE len(reasons) > 0
      ORDER BY bronze_batch, line`,
  );
  const reasonCounts: Record<string, number> = {};
  // batchName → that batch's rejects.
  const rejectsByBatch = new Map<string, (Record<string, unknown> & CleansingReject)[]>();
  for (const row of rejected) {
    const reasons = row['reasons'] as CleansingReject['reasons'];
    for (const reason of reasons) reasonCounts[reason.code] = (reasonCounts[reason.code] ?? 0) + 1;
    const line = String(row['line']);
    const batch = String(row['bronze_batch']);
    const list = rejectsByBatch.get(batch) ?? [];
    list.push({
      ...rawEnvelope(line),
      reasons,
      rejected_by: { stage: 'bronze_to_silver', run_id: runId },
    });
    rejectsByBatch.set(batch, list);
  }
  const counts = await queryRows(
    connection,
    `SELECT count(*) AS read, count(*) FILTER (len(reasons) = 0) AS valid FROM checked`,
  );
  const checkedAt = performance.now();
  await writeQuarantine(lake, contract, runId, batches, rejectsByBatch);
  const quarantinedAt = performance.now();

  const names = contract.columns.map((column) => ident(column.name));
  const partitionColumn = contract.columns.find((column) => column.name === contract.partitionBy);
  const dtSql =
    partitionColumn?.type === 'date'
      ? ident(contract.partitionBy)
      : `CAST(${ident(contract.partitionBy)} AS DATE)`;
  const affected = (
    await queryRows(
      connection,
      `SELECT DISTINCT strftime(${dtSql}, '%Y-%m-%d') AS dt FROM checked WHERE len(reasons) = 0
      ORDER BY dt`,
    )
  ).map((row) => String(row['dt']));

  const silverBucket = bucketFolder(lake, 'silver');
  const datasetFolder = join(silverBucket, silverDatasetPrefix(contract));
  const existingByDt = await silverPartitionFiles(datasetFolder, affected);
  // A rebuild replaces the old rows instead of merging with them.
  const existing = rebuild ? [] : [...existingByDt.values()].flat();
  const existingSql =
    existing.length === 0 ? '' : `UNION ALL BY NAME ${existingRowsSql(contract, existing)}`;
  const versionKey = [
    ...contract.primaryKey,
    ...(contract.cursor !== null && !contract.primaryKey.includes(contract.cursor)
      ? [contract.cursor]
      : []),
    PARTITION_KEY,
  ].map(ident);
  const sameVersion = (a: string, b: string) =>
    versionKey.map((key) => `${a}.${key} IS NOT DISTINCT FROM ${b}.${key}`).join(' AND ');
  // Most version keys occur once; only the repeated ones need the window that keeps the latest
  // fetch (a window over every row costs twice the whole dedupe).
  const silverSql = `WITH candidates AS (
      SELECT ${names.join(', ')}, ${dtSql} AS dt, source_offset, 1 AS is_new
      FROM checked WHERE len(reasons) = 0
      ${existingSql}
    ), repeated AS (
      SELECT ${versionKey.join(', ')} FROM candidates GROUP BY ALL HAVING count(*) > 1
    )
    SELECT ${names.join(', ')}, dt FROM candidates c ANTI JOIN repeated r ON ${sameVersion('c', 'r')}
    UNION ALL
    SELECT ${names.join(', ')}, dt FROM (
      SELECT c.* FROM candidates c SEMI JOIN repeated r ON ${sameVersion('c', 'r')})
    QUALIFY row_number() OVER (
      PARTITION BY ${versionKey.join(', ')}
      ORDER BY ingested_at DESC NULLS LAST, ingestion_run_id DESC NULLS LAST,
        source_offset DESC NULLS LAST, is_new DESC) = 1`;
  // Sized for this write: thousands of small partitions need a smaller buffer than a few large.
  const flushThreshold = flushThresholdRows({
    laneBytes: lane.budget.memoryBytes,
    threads: lane.budget.threads,
    rows: Number(counts[0]?.['valid'] ?? 0),
    partitions: affected.length,
  });
  const silverRows =
    affected.length === 0
      ? 0
      : await replacePartitions(
          connection,
          contract,
          silverSql,
          datasetFolder,
          affected,
          existingByDt,
          runId,
          flushThreshold,
        );

  if (rebuild) {
    await removePartitionsExcept(datasetFolder, affected);
    await forgetCleansed(lake, contract);
  }
  // Only once the batches' rows are in silver: a run that fails before leaves them pending.
  const cleansedAt = new Date().toISOString();
  await inBatches(batches, (batch) =>
    recordCleansed(lake, contract, batch, {
      cleansedBy: runId,
      cleansedAt,
      quarantined: rejectsByBatch.get(batchName(batch))?.length ?? 0,
    }),
  );

  return {
    dataset: contract.id,
    runId,
    dates: plan.dates,
    bronzeBatches: batches.length,
    batchesAlreadyCleansed: plan.complete - batches.length,
    bronzeParts: parts.length,
    recordsRead: Number(counts[0]?.['read'] ?? 0),
    valid: Number(counts[0]?.['valid'] ?? 0),
    quarantined: rejected.length,
    quarantineReasons: Object.fromEntries(
      Object.entries(reasonCounts).sort(([a], [b]) => a.localeCompare(b)),
    ),
    silverPartitions: affected,
    silverRowsInPartitions: silverRows,
    seconds: {
      check: secondsBetween(started, checkedAt),
      quarantine: secondsBetween(checkedAt, quarantinedAt),
      silver: secondsBetween(quarantinedAt, performance.now()),
    },
  };
}

/**
 * The rows of silver files `files` in the contract's columns. Files written before the contract
 * gained a column lack it: union_by_name reads each file by its own columns, and the empty row of
 * every contract column it is unioned with by name gives NULL for one no file has (the files'
 * footers only, no extra read). A non-nullable column cannot be NULL: the query fails, saying to
 * rebuild the table from bronze.
 */
function existingRowsSql(contract: DatasetContract, files: readonly string[]): string {
  const emptyRow = contract.columns
    .map((column) => `NULL::${duckdbType(column)} AS ${ident(column.name)}`)
    .join(', ');
  const columns = contract.columns.map((column) => {
    const name = ident(column.name);
    const value = `CAST(${name} AS ${duckdbType(column)})`;
    if (column.nullable) return `${value} AS ${name}`;
    const message =
      `silver of ${contract.id} has rows without ${column.name}, which the contract requires ` +
      '(a column added since they were written?); cleanse the dataset with batches: rebuild ' +
      '(CLI --batches rebuild) to rebuild its silver from bronze';
    return `CASE WHEN ${name} IS NULL THEN error(${sqlString(message)}) ELSE ${value} END AS ${name}`;
  });
  return `SELECT ${columns.join(', ')}, dt, NULL::VARCHAR AS source_offset, 0 AS is_new
    FROM (SELECT ${emptyRow}, NULL::DATE AS dt WHERE false
      UNION ALL BY NAME
      SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true,
        hive_partitioning = true, hive_types = {'dt': 'DATE'}))`;
}

/**
 * Writes the new partitions beside the table, then swaps each in for the old one
 * (partition-swap.ts); returns the rows written.
 */
async function replacePartitions(
  connection: DuckDBConnection,
  contract: DatasetContract,
  silverSql: string,
  datasetFolder: string,
  affected: readonly string[],
  existingByDt: ReadonlyMap<string, readonly string[]>,
  runId: string,
  flushThreshold: number,
): Promise<number> {
  const staging = stagingFolder(datasetFolder, contract, runId);
  await rm(staging, { recursive: true, force: true });
  // Kept only when it holds old partitions a failed swap could not move back (the next run does).
  let keepStaging = false;
  try {
    await mkdir(dirname(staging), { recursive: true });
    await run(connection, `SET partitioned_write_flush_threshold = ${flushThreshold}`);
    const written = await queryRows(
      connection,
      `COPY (SELECT * FROM (${silverSql}) ORDER BY dt, ${contract.primaryKey.map(ident).join(', ')})
        TO ${sqlString(staging)} (FORMAT parquet, PARTITION_BY (dt), COMPRESSION snappy)`,
    );
    await swapPartitions(staging, datasetFolder, affected, new Set(existingByDt.keys()));
    return Number(Object.values(written[0] ?? {})[0] ?? 0);
  } catch (error) {
    keepStaging = error instanceof PartitionSwapError && error.stuck.length > 0;
    throw error;
  } finally {
    if (!keepStaging) await rm(staging, { recursive: true, force: true });
  }
}

/** Deletes the table's `dt=` partitions other than `keep` (a rebuild gave them no rows). */
async function removePartitionsExcept(datasetFolder: string, keep: readonly string[]) {
  const kept = new Set(keep.map((dt) => `dt=${dt}`));
  const folders = await readdir(datasetFolder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const stale = folders.filter((name) => name.startsWith('dt=') && !kept.has(name));
  await inBatches(stale, (name) => rm(join(datasetFolder, name), { recursive: true, force: true }));
}

/**
 * The rejected line as an object to store in quarantine, or `{raw_line}` when it is not strict
 * JSON or may repeat a key (no object shows such a line as it arrived) — the Glue job's
 * `quarantine_record` rule, so both engines quarantine alike.
 */
function rawEnvelope(line: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(line);
    if (
      parsed !== null &&
      typeof parsed === 'object' &&
      !Array.isArray(parsed) &&
      !mayRepeatAKey(line, parsed)
    ) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Not JSON: kept as the raw line below.
  }
  return { raw_line: line };
}

// A member's name ends with `"`, JSON whitespace, then `:`; inside a string a `"` is escaped, so
// this counts every member and, at most, a few look-alikes inside strings (finks_silver.py too).
const MEMBER_END = /"[ \t\n\r]*:/g;

function members(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + members(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  const entries = Object.values(value);
  return entries.length + entries.reduce((n: number, item) => n + members(item), 0);
}

/** False when no object of the line repeats a key: the parsed objects hold every member named. */
function mayRepeatAKey(line: string, parsed: unknown): boolean {
  return members(parsed) < (line.match(MEMBER_END)?.length ?? 0);
}

/**
 * Replaces the cleansing's rejects of every bronze batch it read: a batch that has none now loses
 * any an earlier cleansing filed for it.
 */
async function writeQuarantine(
  lake: LocalLake,
  contract: DatasetContract,
  runId: string,
  batches: readonly BronzeBatch[],
  rejectsByBatch: ReadonlyMap<string, readonly object[]>,
): Promise<void> {
  const bucket = bucketFolder(lake, 'quarantine');
  await inBatches(batches, async (batch) => {
    const ref = {
      source: contract.source,
      dataset: contract.dataset,
      dt: batch.dt,
      runId: batch.runId,
    } satisfies BatchRunRef;
    const folder = join(bucket, cleansingRejectsPrefix(ref));
    await rm(folder, { recursive: true, force: true });
    const records = rejectsByBatch.get(batchName(batch)) ?? [];
    if (records.length === 0) return;
    const key = cleansingRejectsKey(ref);
    const body = gzipSync(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    await mkdir(folder, { recursive: true });
    await writeFile(join(bucket, key), body);
    // The batch manifest format, plus which stage and run rejected the records.
    const manifest: BatchManifest & { stage: 'bronze_to_silver'; rejectedBy: string } = {
      version: 1,
      zone: 'quarantine',
      ...ref,
      stage: 'bronze_to_silver',
      rejectedBy: runId,
      createdAt: new Date().toISOString(),
      rowCount: records.length,
      parts: [
        {
          key,
          rows: records.length,
          bytes: body.byteLength,
          sha256: createHash('sha256').update(body).digest('hex'),
        },
      ],
    };
    await writeFile(
      join(bucket, cleansingRejectsManifestKey(ref)),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
  });
}
