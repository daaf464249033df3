import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dbtLatestArtifactKey, type Env } from '@finks/lake-paths';
import type { ArtifactStore } from './artifacts/artifact-store';
import { assertCiSchema } from './ci/ci-schema';
import { dropCiSchema } from './ci/drop-ci-schema';
import { adapterOfTarget, manifestAdapter, slimCiSelection } from './ci/slim-ci-selection';
import { DbtRunnerError } from './errors/dbt-runner-error';
import { runDbt, type DbtRunOutcome, type RunDbtOptions } from './runner';

/** Where the manifest slim CI compares with comes from. */
export type SlimCiState =
  /** The env's latest manifest in the artifacts zone (`dbt/<env>/latest/manifest.json`); required. */
  | { readonly kind: 'store'; readonly store: ArtifactStore; readonly env: Env }
  /** A folder holding manifest.json (the workflow downloads it); none there: build everything. */
  | { readonly kind: 'dir'; readonly dir: string }
  /** No comparison: build everything. */
  | { readonly kind: 'none' };

export interface SlimCiOptions extends Omit<
  RunDbtOptions,
  'command' | 'state' | 'defer' | 'select' | 'publishLatest'
> {
  readonly state: SlimCiState;
  /** Keep the PR schema (the workflows drop it when the PR closes); default: drop it afterwards. */
  readonly keepSchema?: boolean;
}

export interface SlimCiOutcome extends DbtRunOutcome {
  /** The folder dbt read `--state` from, if there was a manifest. */
  readonly stateDir: string | undefined;
  /** What was selected and why (see slimCiSelection). */
  readonly selection: readonly string[];
  readonly deferred: boolean;
  readonly schema: string;
  /** The PR schema that was dropped afterwards, if any. */
  readonly droppedSchema: string | undefined;
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Puts the comparison manifest in a folder dbt can read with `--state`; undefined: none. */
async function stateFolder(
  state: SlimCiState,
  targetPath: string,
): Promise<{ dir: string; manifest: string } | undefined> {
  if (state.kind === 'none') return undefined;
  if (state.kind === 'dir') {
    const manifest = await readIfPresent(join(state.dir, 'manifest.json'));
    return manifest === undefined ? undefined : { dir: state.dir, manifest };
  }
  const key = dbtLatestArtifactKey({ env: state.env, artifact: 'manifest.json' });
  const bytes = await state.store.get(key);
  if (!bytes) {
    throw new DbtRunnerError(
      'missing_artifact',
      `no ${state.env} manifest at ${state.store.describe(key)}: a main build publishes it ` +
        '(or pass --state-dir / DBT_STATE_DIR, or neither to build everything)',
      { env: state.env },
    );
  }
  const dir = join(targetPath, 'state');
  await mkdir(dir, { recursive: true });
  const manifest = Buffer.from(bytes).toString('utf8');
  await writeFile(join(dir, 'manifest.json'), manifest);
  return { dir, manifest };
}

/**
 * The dbt-on-Athena slim CI pattern: take the last main build's manifest, build only
 * `state:modified+` with `--defer` (unchanged parents resolve to that build's relations) into
 * the PR's own schema (environment.env.FINKS_DBT_SCHEMA, which must be a CI schema), then drop
 * that schema unless keepSchema. slimCiSelection covers the other cases (no manifest; a
 * manifest from another adapter).
 */
export async function runSlimCi(options: SlimCiOptions): Promise<SlimCiOutcome> {
  const schema = assertCiSchema(options.environment.env['FINKS_DBT_SCHEMA'] ?? '');
  const buildPath = join(options.targetPath, 'build');
  const state = await stateFolder(options.state, options.targetPath);
  const selection = slimCiSelection(
    state ? manifestAdapter(state.manifest) : undefined,
    adapterOfTarget(options.environment.target),
  );
  options.log?.write(`slim CI into ${schema}: ${selection.reason}\n`);
  let outcome: DbtRunOutcome;
  try {
    const { state: _source, keepSchema: _keep, ...runOptions } = options;
    outcome = await runDbt({
      ...runOptions,
      targetPath: buildPath,
      command: 'build',
      select: selection.select,
      ...(state ? { state: state.dir } : {}),
      defer: selection.defer,
      publishLatest: false,
    });
  } finally {
    if (!options.keepSchema) {
      await dropCiSchema({
        schema,
        environment: options.environment,
        // The build's target folder: its partial-parse state spares a second full parse.
        targetPath: buildPath,
        ...(options.log ? { log: options.log } : {}),
        ...(options.projectDir ? { projectDir: options.projectDir } : {}),
        ...(options.dbtBinary ? { dbtBinary: options.dbtBinary } : {}),
      });
    }
  }
  return {
    ...outcome,
    stateDir: state?.dir,
    selection: selection.select,
    deferred: selection.defer,
    schema,
    droppedSchema: options.keepSchema ? undefined : schema,
  };
}
