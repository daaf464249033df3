import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { PARTITION_KEY, findContract, type DatasetContract } from '@finks/contracts';
import {
  partitionDate,
  quarantineBatchKey,
  quarantineRunPrefix,
  silverDatasetPrefix,
  silverPartitionPrefix,
  type Env,
} from '@finks/lake-paths';
import type { CleansingReject } from './bronze-envelope';
import {
  columnSql,
  duckdbType,
  ident,
  invariantPath,
  invariantViolationSql,
  sqlString,
} from './contract-sql';
import { LOCAL_ACCOUNT_ID, bucketFolder, manifestedParts, type LocalLake } from './local-lake';

export interface BronzeToSilverOptions {
  /** Absolute folder of the local lake: `<lakeRoot>/<bucket>/<key>`. */
  readonly lakeRoot: string;
  /** Contract ids, e.g. `fmp.eod_prices`. */
  readonly datasets: readonly string[];
  /** Bronze `dt` partitions (YYYY-MM-DD) to read. */
  readonly dates: readonly string[];
  /** This run (the correlation id); names the quarantine batch it writes. */
  readonly runId: string;
  /** Default `local`. */
  readonly env?: Env;
  /** Default the local lake's `123456789012`. */
  readonly accountId?: string;
}

export interface DatasetCleansingSummary {
  readonly dataset: string;
  readonly runId: string;
  readonly dates: readonly string[];
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
}

const MESSAGES: Readonly<Record<string, string>> = {
  required: 'is required',
  invalid_type: 'has the wrong JSON type',
  invalid_value: 'is not a valid value',
};

/**
 * Bronze → silver on the local lake with DuckDB: the same cleansing as the Glue job
 * (glue_scripts/cleanse_market_data.py) for each dataset. Reads only manifested bronze parts of
 * `dates`; quarantines rejects with their reasons under `run=<runId>`; rewrites the silver
 * partitions it touches, merged with the rows already there, so reruns change nothing.
 */
export async function bronzeToSilver(
  options: BronzeToSilverOptions,
): Promise<DatasetCleansingSummary[]> {
  const lake: LocalLake = {
    root: options.lakeRoot,
    env: options.env ?? 'local',
    accountId: options.accountId ?? LOCAL_ACCOUNT_ID,
  };
  const dates = [...new Set(options.dates.map((dt) => partitionDate(dt, 'dates')))].sort();
  const contracts = options.datasets.map((id) => {
    const [source = '', dataset = ''] = id.split('.');
    return findContract(source, dataset);
  });
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  try {
    const summaries: DatasetCleansingSummary[] = [];
    for (const contract of contracts) {
      summaries.push(await cleanseDataset(connection, lake, contract, dates, options.runId));
    }
    return summaries;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function run(connection: DuckDBConnection, sql: string): Promise<void> {
  await connection.run(sql);
}

async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

function linesSql(paths: readonly string[]): string {
  if (paths.length === 0)
    return 'SELECT NULL::VARCHAR AS line, NULL::VARCHAR AS bronze_dt WHERE FALSE';
  // One VARCHAR per line: a NUL delimiter and no quoting keep DuckDB's CSV reader from
  // interpreting JSON (NUL cannot appear unescaped in JSON text).
  return `SELECT line, regexp_extract(filename, '/dt=(\\d{4}-\\d{2}-\\d{2})/run=', 1) AS bronze_dt
    FROM read_csv([${paths.map(sqlString).join(', ')}], columns = {'line': 'VARCHAR'},
      delim = chr(0), quote = '', escape = '', header = false, auto_detect = false,
      compression = 'gzip', filename = true, max_line_size = 67108864)
    WHERE line IS NOT NULL AND line <> ''`;
}

function reasonSql(path: string, code: string, message: string): string {
  return `{'path': ${path}, 'code': ${code}, 'message': ${message}}`;
}

/** SQL that checks every line of `lines` against the contract into the `checked` table. */
function checkSql(contract: DatasetContract): string {
  const data = contract.columns.filter((column) => column.sourceField !== null);
  const valueOf = (name: string) => ident(`v:${name}`);
  const errorOf = (name: string) => ident(`e:${name}`);
  const fetched = `json_extract(j, '$.fetched_at')`;
  const runIdJson = `json_extract(j, '$.run_id')`;
  const fetchedSql = columnSql(
    {
      name: 'ingested_at',
      type: 'timestamp',
      nullable: false,
      description: '',
      sourceField: 'fetched_at',
      encoding: 'mongo_date',
    },
    fetched,
  );
  const converted = data.map((column) => {
    const sql = columnSql(column, valueOf(column.name));
    return `CASE WHEN payload_ok THEN ${sql.error} ELSE 'invalid_envelope' END AS ${errorOf(column.name)},
      ${sql.value} AS ${ident(column.name)}`;
  });
  const fieldReasons = data.map(
    (column) =>
      `CASE WHEN payload_ok AND ${errorOf(column.name)} IS NOT NULL THEN ${reasonSql(
        sqlString(column.sourceField ?? column.name),
        errorOf(column.name),
        `${sqlString(`${column.encoding} → ${column.type}: `)} || CASE ${errorOf(column.name)} ${Object.entries(
          MESSAGES,
        )
          .map(([code, message]) => `WHEN ${sqlString(code)} THEN ${sqlString(message)}`)
          .join(' ')} ELSE '' END`,
      )} END`,
  );
  const invariantReasons = contract.invariants.map(
    (invariant) =>
      `CASE WHEN payload_ok AND ${invariantViolationSql(invariant, errorOf)} THEN ${reasonSql(
        sqlString(invariantPath(contract, invariant)),
        "'invariant'",
        sqlString(`${invariant.description} (invariant ${invariant.name})`),
      )} END`,
  );
  const reasons = [
    `CASE WHEN j IS NULL THEN ${reasonSql("''", "'invalid_json'", "'the line is not JSON'")} END`,
    `CASE WHEN j IS NOT NULL AND NOT is_object THEN ${reasonSql("''", "'invalid_envelope'", "'the line is not a JSON object'")} END`,
    `CASE WHEN is_object AND fetched_error IS NOT NULL THEN ${reasonSql("'fetched_at'", "'invalid_envelope'", "'fetched_at is not an ISO-8601 instant'")} END`,
    `CASE WHEN is_object AND ingestion_run_id IS NULL THEN ${reasonSql("'run_id'", "'invalid_envelope'", "'run_id is missing'")} END`,
    `CASE WHEN is_object AND NOT payload_ok THEN ${reasonSql("'payload'", "'invalid_envelope'", "'payload is not a JSON object'")} END`,
    ...fieldReasons,
    ...invariantReasons,
  ];
  return `CREATE OR REPLACE TEMP TABLE checked AS
    WITH parsed AS (
      SELECT bronze_dt, line, CASE WHEN json_valid(line) THEN line::JSON END AS j FROM lines
    ), envelope AS (
      SELECT *, coalesce(json_type(j) = 'OBJECT', FALSE) AS is_object,
        coalesce(json_type(j, '$.payload') = 'OBJECT', FALSE) AS payload_ok,
        json_extract(j, '$.payload') AS payload
      FROM parsed
    ), fields AS (
      SELECT *,
        CASE WHEN json_type(j, '$.source_offset') = 'VARCHAR' THEN json_extract_string(j, '$.source_offset') END AS source_offset,
        CASE WHEN coalesce(json_type(${fetched}) = 'VARCHAR', FALSE) THEN ${fetchedSql.error} ELSE 'invalid_envelope' END AS fetched_error,
        ${fetchedSql.value} AS ingested_at,
        CASE WHEN json_type(${runIdJson}) = 'VARCHAR' AND json_extract_string(${runIdJson}, '$') <> '' THEN json_extract_string(${runIdJson}, '$') END AS ingestion_run_id,
        ${data.map((column) => `json_extract(payload, ${sqlString(`$."${column.sourceField ?? column.name}"`)}) AS ${valueOf(column.name)}`).join(',\n        ')}
      FROM envelope
    ), converted AS (
      SELECT *, ${converted.join(',\n      ')} FROM fields
    )
    SELECT bronze_dt, line, source_offset,
      ${contract.columns.map((column) => `CAST(${ident(column.name)} AS ${duckdbType(column)}) AS ${ident(column.name)}`).join(', ')},
      list_filter([${reasons.join(',\n        ')}], r -> r IS NOT NULL) AS reasons
    FROM converted`;
}

async function partitionFiles(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((name) => name.endsWith('.parquet'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function cleanseDataset(
  connection: DuckDBConnection,
  lake: LocalLake,
  contract: DatasetContract,
  dates: readonly string[],
  runId: string,
): Promise<DatasetCleansingSummary> {
  const parts = await manifestedParts(lake, contract, dates);
  await run(
    connection,
    `CREATE OR REPLACE TEMP TABLE lines AS ${linesSql(parts.map((p) => p.path))}`,
  );
  await run(connection, checkSql(contract));

  const rejected = await rows(
    connection,
    `SELECT bronze_dt, line, reasons FROM checked WHERE len(reasons) > 0 ORDER BY bronze_dt, line`,
  );
  const reasonCounts: Record<string, number> = {};
  const rejectsByDt = new Map<string, (Record<string, unknown> & CleansingReject)[]>();
  for (const row of rejected) {
    const reasons = row['reasons'] as CleansingReject['reasons'];
    for (const reason of reasons) reasonCounts[reason.code] = (reasonCounts[reason.code] ?? 0) + 1;
    const line = String(row['line']);
    const dt = String(row['bronze_dt']);
    const list = rejectsByDt.get(dt) ?? [];
    list.push({
      ...rawEnvelope(line),
      reasons,
      rejected_by: { stage: 'bronze_to_silver', run_id: runId },
    });
    rejectsByDt.set(dt, list);
  }
  await writeQuarantine(lake, contract, runId, dates, rejectsByDt);

  const names = contract.columns.map((column) => ident(column.name));
  const partitionColumn = contract.columns.find((column) => column.name === contract.partitionBy);
  const dtSql =
    partitionColumn?.type === 'date'
      ? ident(contract.partitionBy)
      : `CAST(${ident(contract.partitionBy)} AS DATE)`;
  await run(
    connection,
    `CREATE OR REPLACE TEMP TABLE new_rows AS
      SELECT ${names.join(', ')}, ${dtSql} AS dt, source_offset, 1 AS is_new
      FROM checked WHERE len(reasons) = 0`,
  );
  const counts = await rows(
    connection,
    `SELECT (SELECT count(*) FROM checked) AS read, (SELECT count(*) FROM new_rows) AS valid`,
  );
  const affected = (
    await rows(
      connection,
      `SELECT DISTINCT strftime(dt, '%Y-%m-%d') AS dt FROM new_rows ORDER BY dt`,
    )
  ).map((row) => String(row['dt']));

  const silverBucket = bucketFolder(lake, 'silver');
  const datasetFolder = join(silverBucket, silverDatasetPrefix(contract));
  const existing: string[] = [];
  for (const dt of affected) {
    const folder = join(silverBucket, silverPartitionPrefix({ ...contract, dt }));
    existing.push(...(await partitionFiles(folder)).map((name) => join(folder, name)));
  }
  const existingSql =
    existing.length === 0
      ? ''
      : `UNION ALL BY NAME SELECT ${contract.columns
          .map(
            (column) =>
              `CAST(${ident(column.name)} AS ${duckdbType(column)}) AS ${ident(column.name)}`,
          )
          .join(', ')}, dt, NULL::VARCHAR AS source_offset, 0 AS is_new
        FROM read_parquet([${existing.map(sqlString).join(', ')}], hive_partitioning = true,
          hive_types = {'dt': 'DATE'})`;
  const versionKey = [
    ...contract.primaryKey,
    ...(contract.cursor !== null && !contract.primaryKey.includes(contract.cursor)
      ? [contract.cursor]
      : []),
    PARTITION_KEY,
  ].map(ident);
  await run(
    connection,
    `CREATE OR REPLACE TEMP TABLE silver AS
      SELECT ${names.join(', ')}, dt FROM (SELECT * FROM new_rows ${existingSql})
      QUALIFY row_number() OVER (
        PARTITION BY ${versionKey.join(', ')}
        ORDER BY ingested_at DESC NULLS LAST, ingestion_run_id DESC NULLS LAST,
          source_offset DESC NULLS LAST, is_new DESC) = 1`,
  );
  const silverRows = Number(
    (await rows(connection, 'SELECT count(*) AS n FROM silver'))[0]?.['n'] ?? 0,
  );
  if (affected.length > 0)
    await replacePartitions(connection, contract, datasetFolder, affected, runId);

  return {
    dataset: contract.id,
    runId,
    dates,
    bronzeParts: parts.length,
    recordsRead: Number(counts[0]?.['read'] ?? 0),
    valid: Number(counts[0]?.['valid'] ?? 0),
    quarantined: rejected.length,
    quarantineReasons: Object.fromEntries(
      Object.entries(reasonCounts).sort(([a], [b]) => a.localeCompare(b)),
    ),
    silverPartitions: affected,
    silverRowsInPartitions: silverRows,
  };
}

/** Writes the new partitions beside the table, then swaps each in for the old one. */
async function replacePartitions(
  connection: DuckDBConnection,
  contract: DatasetContract,
  datasetFolder: string,
  affected: readonly string[],
  runId: string,
): Promise<void> {
  // Outside the table's folder, so a reader listing the table never sees half-written files.
  const staging = join(dirname(datasetFolder), `.staging-${contract.dataset}-${runId}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(dirname(staging), { recursive: true });
  await run(
    connection,
    `COPY (SELECT * FROM silver ORDER BY dt, ${contract.primaryKey.map(ident).join(', ')})
      TO ${sqlString(staging)} (FORMAT parquet, PARTITION_BY (dt), COMPRESSION snappy)`,
  );
  await mkdir(datasetFolder, { recursive: true });
  for (const dt of affected) {
    const target = join(datasetFolder, `dt=${dt}`);
    await rm(target, { recursive: true, force: true });
    await rename(join(staging, `dt=${dt}`), target);
  }
  await rm(staging, { recursive: true, force: true });
}

function rawEnvelope(line: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Not JSON: kept as the raw line below.
  }
  return { raw_line: line };
}

async function writeQuarantine(
  lake: LocalLake,
  contract: DatasetContract,
  runId: string,
  dates: readonly string[],
  rejectsByDt: ReadonlyMap<string, readonly object[]>,
): Promise<void> {
  const bucket = bucketFolder(lake, 'quarantine');
  for (const dt of dates) {
    const ref = { source: contract.source, dataset: contract.dataset, dt, runId };
    const runFolder = join(bucket, quarantineRunPrefix(ref));
    await rm(runFolder, { recursive: true, force: true });
    const records = rejectsByDt.get(dt) ?? [];
    if (records.length === 0) continue;
    const key = quarantineBatchKey({ ...ref, part: 0 });
    const body = gzipSync(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    await mkdir(runFolder, { recursive: true });
    await writeFile(join(bucket, key), body);
    const manifest = {
      version: 1,
      zone: 'quarantine',
      ...ref,
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
    await writeFile(join(runFolder, '_manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
}
