import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Env } from '@finks/lake-paths';
import type { ArtifactStore } from './artifacts/artifact-store';
import { uploadArtifacts, type UploadedArtifact } from './artifacts/upload-artifacts';
import type { DbtCommand, DbtVars } from './dbt/dbt-args';
import { keepParseCache, restoreParseCache } from './dbt/parse-cache';
import { summarizeRunResults, type RunSummary } from './dbt/run-results';
import { HELD_NOT_RELEASED, spawnDbt } from './dbt/spawn-dbt';
import { dbtProcessFor, type TargetEnvironment } from './dbt/target-environment';
import { EXIT_CODES, exitCodeFor, exitMessage, type ExitCode } from './exit-code';

export interface RunDbtOptions {
  readonly command: DbtCommand;
  readonly environment: TargetEnvironment;
  /** The lake env the artifacts belong to (`dbt/<env>/…`). */
  readonly env: Env;
  /** dbt's target folder for this run (artifacts land here before upload). */
  readonly targetPath: string;
  readonly select?: readonly string[];
  readonly exclude?: readonly string[];
  readonly vars?: DbtVars;
  /**
   * The orchestrator's correlation id, in every query comment and in gold rows. It reaches dbt as
   * FINKS_CORRELATION_ID (macros/correlation_id.sql), not as a var: a var that changes every run
   * would make dbt re-parse the whole project every run.
   */
  readonly correlationId?: string;
  readonly state?: string;
  readonly defer?: boolean;
  readonly fullRefresh?: boolean;
  /** Where to publish artifacts; none: keep them in targetPath only. */
  readonly artifacts?: ArtifactStore;
  /** Copy manifest.json / run_results.json to `dbt/<env>/latest/` when the run succeeds. */
  readonly publishLatest?: boolean;
  readonly log?: Writable;
  readonly projectDir?: string;
  readonly dbtBinary?: string;
  /** A folder that keeps dbt's parse between runs (see dbt/parse-cache.ts); none: full parse. */
  readonly parseCacheDir?: string;
  /** Import dbt and parse now, run when this resolves true (see spawnDbt's `hold`). */
  readonly hold?: Promise<boolean>;
}

export interface DbtRunOutcome {
  readonly exitCode: ExitCode;
  readonly message: string;
  readonly dbtExitCode: number;
  readonly durationMs: number;
  /** Undefined when dbt wrote no run_results.json (it failed before running anything). */
  readonly summary: RunSummary | undefined;
  readonly artifacts: readonly UploadedArtifact[];
}

async function readSummary(targetPath: string): Promise<RunSummary | undefined> {
  try {
    return summarizeRunResults(await readFile(join(targetPath, 'run_results.json'), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * One dbt invocation end to end: prepare the target's folders, run dbt (log streamed), parse
 * run_results.json, publish the artifacts, and map it all to an exit code.
 */
export async function runDbt(options: RunDbtOptions): Promise<DbtRunOutcome> {
  for (const folder of options.environment.foldersToCreate)
    await mkdir(folder, { recursive: true });
  await mkdir(options.targetPath, { recursive: true });
  const vars: DbtVars = { ...options.environment.vars, ...options.vars };
  if (options.parseCacheDir) await restoreParseCache(options.parseCacheDir, options.targetPath);
  const result = await spawnDbt(
    {
      command: options.command,
      target: options.environment.target,
      targetPath: options.targetPath,
      vars,
      ...(options.select ? { select: options.select } : {}),
      ...(options.exclude ? { exclude: options.exclude } : {}),
      ...(options.state ? { state: options.state } : {}),
      ...(options.defer ? { defer: true } : {}),
      ...(options.fullRefresh ? { fullRefresh: true } : {}),
    },
    {
      ...dbtProcessFor(
        options.environment,
        options.correlationId ? { FINKS_CORRELATION_ID: options.correlationId } : {},
      ),
      ...(options.log ? { log: options.log } : {}),
      ...(options.projectDir ? { projectDir: options.projectDir } : {}),
      ...(options.dbtBinary ? { dbtBinary: options.dbtBinary } : {}),
      ...(options.hold ? { hold: options.hold } : {}),
    },
  );
  if (options.hold && result.exitCode === HELD_NOT_RELEASED) {
    return {
      exitCode: EXIT_CODES.notReleased,
      message: exitMessage(EXIT_CODES.notReleased, undefined),
      dbtExitCode: result.exitCode,
      durationMs: result.durationMs,
      summary: undefined,
      artifacts: [],
    };
  }
  if (options.parseCacheDir) await keepParseCache(options.parseCacheDir, options.targetPath);
  // docs generate writes catalog.json, not run_results for nodes; a stale run_results from an
  // earlier command in the same folder must not be reported, hence per-run target folders.
  const summary = await readSummary(options.targetPath);
  const exitCode = exitCodeFor(result.exitCode, summary);
  let artifacts: UploadedArtifact[] = [];
  if (options.artifacts && summary) {
    artifacts = await uploadArtifacts({
      store: options.artifacts,
      env: options.env,
      invocationId: summary.invocationId,
      targetPath: options.targetPath,
      publishLatest: (options.publishLatest ?? false) && exitCode === 0,
    });
  }
  return {
    exitCode,
    message: exitMessage(exitCode, summary),
    dbtExitCode: result.exitCode,
    durationMs: result.durationMs,
    summary,
    artifacts,
  };
}
