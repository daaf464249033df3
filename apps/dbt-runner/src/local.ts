import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { bucketName } from '@finks/lake-paths';
import { LocalArtifactStore } from './artifacts/artifact-store';
import type { DbtCommand, DbtVars } from './dbt/dbt-args';
import { parseCacheDirFor } from './dbt/parse-cache';
import { newRunFolder } from './dbt/run-folders';
import { localTargetEnvironment } from './dbt/target-environment';
import type { LocalLake } from './lake/local-lake';
import { runDbt, type DbtRunOutcome } from './runner';

export interface LocalDbtRunOptions {
  /** The filesystem lake: silver Parquet is read from it, gold Parquet and artifacts written to it. */
  readonly lake: LocalLake;
  /** Scratch folder for the DuckDB database file and dbt's target folders. */
  readonly workDir: string;
  readonly command?: DbtCommand;
  readonly select?: readonly string[];
  readonly vars?: DbtVars;
  readonly correlationId?: string;
  /** Publish manifest.json to `dbt/<env>/latest/` on success (what slim CI compares against). */
  readonly publishLatest?: boolean;
  readonly log?: Writable;
  readonly dbtBinary?: string;
  readonly projectDir?: string;
}

/**
 * Silver -> gold on the local lake, the call a pipelines flow makes: `dbt build` (by default)
 * with the DuckDB target over `<lakeRoot>/finks-<env>-silver-<account>/source=…/dataset=…/dt=…/*.parquet`,
 * writing each mart to `<lakeRoot>/finks-<env>-gold-<account>/mart=<name>/<name>.parquet` and the
 * artifacts to `<lakeRoot>/finks-<env>-artifacts-<account>/dbt/<env>/<invocation-id>/`.
 */
export async function runLocalDbt(options: LocalDbtRunOptions): Promise<DbtRunOutcome> {
  const command = options.command ?? 'build';
  const environment = localTargetEnvironment({
    lake: options.lake,
    duckdbPath: join(options.workDir, 'finks.duckdb'),
  });
  return runDbt({
    command,
    env: options.lake.env,
    environment,
    targetPath: await newRunFolder(options.workDir, command),
    parseCacheDir: parseCacheDirFor(environment, options.projectDir),
    artifacts: new LocalArtifactStore(
      bucketName({ env: options.lake.env, zone: 'artifacts', accountId: options.lake.accountId }),
      options.lake.lakeRoot,
    ),
    publishLatest: options.publishLatest ?? command === 'build',
    ...(options.select ? { select: options.select } : {}),
    ...(options.vars ? { vars: options.vars } : {}),
    ...(options.correlationId ? { correlationId: options.correlationId } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.dbtBinary ? { dbtBinary: options.dbtBinary } : {}),
    ...(options.projectDir ? { projectDir: options.projectDir } : {}),
  });
}
