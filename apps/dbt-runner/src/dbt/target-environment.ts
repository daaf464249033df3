import { basename, dirname } from 'node:path';
import { athenaWorkgroupName, glueDatabaseName } from '@finks/iam-names';
import { bucketName, goldMartPrefix, lakeLocation, toS3Uri, type Env } from '@finks/lake-paths';
import {
  GOLD_MARTS,
  localGoldMartLocations,
  localSilverRoot,
  type LocalLake,
} from '../lake/local-lake';
import type { DbtVars } from './dbt-args';

/** What a dbt run needs to know about where it runs: profile env vars and project vars. */
export interface TargetEnvironment {
  /** The profiles.yml output: `local` (DuckDB) or the Athena env name. */
  readonly target: string;
  /** Env vars the project or profile reads while parsing: part of what the parse depends on. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Env vars read only while running (macros guarded by `execute`): the lake's folders locally.
   * Keeping them out of the parse lets one parse cache serve every lake (see parse-cache.ts).
   */
  readonly runEnv: Readonly<Record<string, string>>;
  readonly vars: DbtVars;
  /**
   * The folder dbt runs in, when not the project's: the local profile names its DuckDB file
   * relative to it, since dbt compares the profile's values (the file's path among them) before
   * reusing a saved parse, and a path per work dir would defeat the shared parse cache.
   */
  readonly workingDir?: string;
  /** Folders the DuckDB target runs or writes in and that must exist first. */
  readonly foldersToCreate: readonly string[];
}

/**
 * How dbt runs for `environment`: every env var it reads (while parsing and while running) and
 * the folder it runs in, for spawnDbt. `extraEnv` (e.g. the correlation id) comes last.
 */
export function dbtProcessFor(
  environment: TargetEnvironment,
  extraEnv: Readonly<Record<string, string>> = {},
): { env: Record<string, string>; cwd?: string } {
  return {
    env: { ...environment.env, ...environment.runEnv, ...extraEnv },
    ...(environment.workingDir ? { cwd: environment.workingDir } : {}),
  };
}

export interface LocalTargetOptions {
  readonly lake: LocalLake;
  /** The DuckDB database file dbt builds in (kept out of the lake). */
  readonly duckdbPath: string;
  /** A schema other than `main`, e.g. a slim CI run's. */
  readonly schema?: string;
  /** Export marts to the gold zone (off for slim CI, which must not touch gold). */
  readonly exportGold?: boolean;
}

/**
 * The `local` target: DuckDB over the filesystem lake's silver Parquet; marts to gold Parquet.
 * The lake's folders reach dbt as env vars its macros read only while running (silver in
 * `load_silver`, gold in `export_gold_mart`), not as vars: vars are part of dbt's parse, and
 * every new lake (each test, the bench) would cost a full parse of the project.
 */
export function localTargetEnvironment(options: LocalTargetOptions): TargetEnvironment {
  const gold = options.exportGold === false ? undefined : localGoldMartLocations(options.lake);
  return {
    target: 'local',
    env: {
      FINKS_DBT_TARGET: 'local',
      FINKS_DUCKDB_PATH: basename(options.duckdbPath),
      ...(options.schema ? { FINKS_DBT_SCHEMA: options.schema } : {}),
    },
    runEnv: {
      FINKS_SILVER_ROOT: localSilverRoot(options.lake),
      ...(gold ? { FINKS_GOLD_MART_LOCATIONS: JSON.stringify(gold) } : {}),
    },
    vars: {},
    workingDir: dirname(options.duckdbPath),
    foldersToCreate: [dirname(options.duckdbPath), ...(gold ? Object.values(gold) : [])],
  };
}

export interface AthenaTargetOptions {
  readonly env: Exclude<Env, 'local'>;
  readonly accountId: string;
  readonly region: string;
  /** A per-PR Glue database for slim CI; the env's gold database otherwise. */
  readonly schema?: string;
  readonly exportGold?: boolean;
}

/** The Athena workgroup the runner uses (infrastructure creates it under the same name). */
export function dbtAthenaWorkgroup(env: Env): string {
  return athenaWorkgroupName({ app: 'dbt-runner', env, component: 'dbt' });
}

/**
 * An Athena target (`dev`, `staging`, `prod`): every name from @finks/iam-names and
 * @finks/lake-paths, handed to profiles.yml as env vars and to the project as vars.
 */
export function athenaTargetEnvironment(options: AthenaTargetOptions): TargetEnvironment {
  const { env, accountId } = options;
  const bucket = <Z extends 'gold' | 'athena-results'>(zone: Z) =>
    bucketName({ env, zone, accountId });
  const gold =
    options.exportGold === false
      ? undefined
      : Object.fromEntries(
          GOLD_MARTS.map((mart) => [
            mart,
            toS3Uri(lakeLocation(bucket('gold'), goldMartPrefix({ mart }))),
          ]),
        );
  return {
    target: env,
    env: {
      FINKS_DBT_TARGET: env,
      FINKS_AWS_REGION: options.region,
      FINKS_DBT_SCHEMA: options.schema ?? glueDatabaseName({ env, zone: 'gold' }),
      FINKS_ATHENA_WORKGROUP: dbtAthenaWorkgroup(env),
      // Query results in Athena's scratch bucket; non-mart tables under the gold bucket's
      // `dbt/` prefix (lake-paths has no key for them; marts go to their mart= folders).
      FINKS_ATHENA_S3_STAGING_DIR: `s3://${bucket('athena-results')}/dbt/`,
      FINKS_ATHENA_S3_DATA_DIR: `s3://${bucket('gold')}/dbt/`,
    },
    runEnv: {},
    vars: {
      silver_schema: glueDatabaseName({ env, zone: 'silver' }),
      ...(gold ? { gold_mart_locations: gold } : {}),
    },
    foldersToCreate: [],
  };
}
