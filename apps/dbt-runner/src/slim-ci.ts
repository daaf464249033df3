import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dbtLatestArtifactKey, type Env } from '@finks/lake-paths';
import type { ArtifactStore } from './artifacts/artifact-store';
import { DbtRunnerError } from './errors/dbt-runner-error';
import { runDbt, type DbtRunOutcome, type RunDbtOptions } from './runner';
import { spawnDbt } from './dbt/spawn-dbt';

export interface SlimCiOptions extends Omit<
  RunDbtOptions,
  'command' | 'state' | 'defer' | 'select' | 'publishLatest'
> {
  /** Where the prod manifest is published (`dbt/<stateEnv>/latest/manifest.json`). */
  readonly stateStore: ArtifactStore;
  readonly stateEnv: Env;
  /** Keep the PR schema instead of dropping it (debugging). */
  readonly keepSchema?: boolean;
}

export interface SlimCiOutcome extends DbtRunOutcome {
  readonly stateDir: string;
  /** The PR schema that was dropped afterwards, if any. */
  readonly droppedSchema: string | undefined;
}

/** The schema (Glue database on Athena) a pull request builds into; drop_ci_schema only drops these. */
export function pullRequestSchema(baseSchema: string, pullRequest: string | number): string {
  const id = String(pullRequest)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
  return `${baseSchema}_pr_${id}`;
}

/**
 * The dbt-on-Athena slim CI pattern: fetch the last prod manifest, build only
 * `state:modified+` with `--defer` (unchanged parents resolve to prod's relations) into the
 * PR's own schema (environment.env.FINKS_DBT_SCHEMA), then drop that schema.
 */
export async function runSlimCi(options: SlimCiOptions): Promise<SlimCiOutcome> {
  const manifestKey = dbtLatestArtifactKey({ env: options.stateEnv, artifact: 'manifest.json' });
  const manifest = await options.stateStore.get(manifestKey);
  if (!manifest) {
    throw new DbtRunnerError(
      'missing_artifact',
      `no ${options.stateEnv} manifest at ${options.stateStore.describe(manifestKey)}: a main build publishes it`,
      { env: options.stateEnv },
    );
  }
  const stateDir = join(options.targetPath, 'state');
  await mkdir(stateDir, { recursive: true });
  await writeFile(join(stateDir, 'manifest.json'), manifest);
  const schema = options.environment.env['FINKS_DBT_SCHEMA'];
  let outcome: DbtRunOutcome;
  try {
    outcome = await runDbt({
      ...options,
      targetPath: join(options.targetPath, 'build'),
      command: 'build',
      select: ['state:modified+'],
      state: stateDir,
      defer: true,
      publishLatest: false,
    });
  } finally {
    if (schema && !options.keepSchema) await dropSchema(options, schema);
  }
  return {
    ...outcome,
    stateDir,
    droppedSchema: schema && !options.keepSchema ? schema : undefined,
  };
}

async function dropSchema(options: SlimCiOptions, schema: string): Promise<void> {
  const result = await spawnDbt(
    {
      command: 'run-operation',
      target: options.environment.target,
      // The build's target folder: its partial-parse state spares a second full parse.
      targetPath: join(options.targetPath, 'build'),
      operation: 'drop_ci_schema',
      operationArgs: { schema_name: schema },
    },
    {
      env: options.environment.env,
      ...(options.log ? { log: options.log } : {}),
      ...(options.projectDir ? { projectDir: options.projectDir } : {}),
      ...(options.dbtBinary ? { dbtBinary: options.dbtBinary } : {}),
    },
  );
  if (result.exitCode !== 0) {
    throw new DbtRunnerError('dbt_crashed', `could not drop the CI schema ${schema}`, { schema });
  }
}
