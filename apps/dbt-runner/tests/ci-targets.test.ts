// The Nx targets the workflows call (tools/ci/README.md, "What each project provides"), run as
// Nx runs them — the command from project.json, in the project folder — on dbt-duckdb, against
// a checkout-like empty lake: dbt-slim-ci seeds it, builds into the PR schema and keeps it;
// dbt-drop-ci-schema drops it, and refuses any name that is not a PR schema.
import { execFile, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROOT, REPO_ROOT } from '../src/app-root';
import { assertCiSchema, pullRequestSchema } from '../src/ci/ci-schema';
import { slimCiSelection } from '../src/ci/slim-ci-selection';
import { DbtRunnerError } from '../src/errors/dbt-runner-error';
import { EXIT_CODES } from '../src/exit-code';

const execFileAsync = promisify(execFile);

interface TargetRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function targetCommand(target: string): Promise<string> {
  const project = JSON.parse(await readFile(join(APP_ROOT, 'project.json'), 'utf8')) as {
    targets: Record<string, { options?: { command?: string } }>;
  };
  const command = project.targets[target]?.options?.command;
  if (!command) throw new Error(`project.json has no command for ${target}`);
  return command;
}

/** Runs a target's command the way nx:run-commands does (cwd, node_modules/.bin on PATH). */
async function runTarget(
  target: string,
  env: Record<string, string>,
  extraArgs: readonly string[],
): Promise<TargetRun> {
  const command = `${await targetCommand(target)} ${extraArgs.join(' ')}`;
  const { DBT_CI_SCHEMA: _schema, DBT_STATE_DIR: _state, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd: APP_ROOT,
      env: {
        ...inherited,
        PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env['PATH'] ?? ''}`,
        FINKS_ENV: 'local',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The schemas holding tables in dbt's DuckDB file, read with dbt's own DuckDB (the venv's
 * Python): the file format is newer than the one @duckdb/node-api reads.
 */
async function schemasIn(duckdbPath: string): Promise<string[]> {
  const script = [
    'import duckdb, json, sys',
    'connection = duckdb.connect(sys.argv[1], read_only=True)',
    'rows = connection.sql("select distinct table_schema from information_schema.tables").fetchall()',
    'print(json.dumps(sorted(row[0] for row in rows)))',
  ].join('\n');
  const { stdout } = await execFileAsync(join(REPO_ROOT, '.venv', 'bin', 'python'), [
    '-c',
    script,
    duckdbPath,
  ]);
  return JSON.parse(stdout) as string[];
}

describe('dbt-slim-ci and dbt-drop-ci-schema on dbt-duckdb', () => {
  // Unique per run: other helpers' tests may share the machine, never the schema.
  const schema = `ci_pr_${randomInt(1_000_000, 9_999_999)}`;
  let root: string;
  let env: Record<string, string>;
  let workArgs: string[];
  let slim: TargetRun;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'finks-dbt-ci-targets-'));
    // A checkout's config with an empty lake, as on a CI runner.
    const configDir = join(root, 'config');
    await mkdir(configDir);
    const config = parse(await readFile(join(REPO_ROOT, 'config', 'local.yaml'), 'utf8')) as {
      lake: { root: string };
    };
    config.lake.root = join(root, 'lake');
    await writeFile(join(configDir, 'local.yaml'), stringify(config));
    // What preview.yml hands over when the last staging deploy left no manifest: an empty folder.
    const stateDir = join(root, 'state');
    await mkdir(stateDir);
    env = { FINKS_CONFIG_DIR: configDir, DBT_CI_SCHEMA: schema, DBT_STATE_DIR: stateDir };
    workArgs = ['--work-dir', join(root, 'work')];
    slim = await runTarget('dbt-slim-ci', env, [...workArgs, '--json']);
  }, 420_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('dbt-slim-ci seeds the empty lake, builds every model into the PR schema and keeps it', async () => {
    expect(slim.code, slim.stderr.slice(-3000)).toBe(EXIT_CODES.ok);
    expect(slim.stderr).toContain('the silver zone of');
    expect(slim.stderr).toContain('no manifest to compare with: building every node');
    const summary = (JSON.parse(slim.stdout) as { summary: { nodes: { name: string }[] } }).summary;
    expect(summary.nodes.map((node) => node.name)).toEqual(
      expect.arrayContaining([
        'stg_fmp__eod_prices',
        'daily_portfolio_summary',
        'var_calculations',
      ]),
    );
    const schemas = await schemasIn(join(root, 'work', 'finks.duckdb'));
    // `silver` is the run's copy of the lake's silver (macros/load_silver.sql): input shared by
    // every schema in the file, like the silver Glue database on Athena, not the PR's.
    expect(schemas).toEqual([schema, `${schema}_snapshots`, 'silver']);
  });

  it('dbt-drop-ci-schema drops the PR schema and its snapshot schema', async () => {
    const dropped = await runTarget('dbt-drop-ci-schema', env, workArgs);
    expect(dropped.code, dropped.stderr.slice(-3000)).toBe(EXIT_CODES.ok);
    expect(await schemasIn(join(root, 'work', 'finks.duckdb'))).toEqual(['silver']);
  });

  it.each(['main', ''])('dbt-drop-ci-schema refuses %j before dbt starts', async (name) => {
    const refused = await runTarget('dbt-drop-ci-schema', { ...env, DBT_CI_SCHEMA: name }, [
      ...workArgs,
    ]);
    expect(refused.code).toBe(EXIT_CODES.usage);
    expect(refused.stderr).toMatch(
      name === '' ? /no PR schema: set DBT_CI_SCHEMA/ : /refusing CI schema "main"/,
    );
  });
});

describe('which schemas count as a pull request schema', () => {
  it.each(['ci_pr_12', 'main_pr_feature_x', 'finks_dev_gold_pr_7'])('accepts %j', (name) => {
    expect(assertCiSchema(name)).toBe(name);
  });

  it.each([
    'main',
    'finks_prod_gold',
    'ci_pr_',
    'CI_PR_1',
    'ci_pr_1;drop_schema_main',
    'ci_pr_1 cascade',
    `ci_pr_${'9'.repeat(64)}`,
    '',
  ])('refuses %j', (name) => {
    expect(() => assertCiSchema(name)).toThrow(DbtRunnerError);
    expect(() => assertCiSchema(name)).toThrow(/contains "_pr_"/);
  });

  it('derives --pr schemas that pass', () => {
    expect(pullRequestSchema('main', 'Feature/X-1')).toBe('main_pr_feature_x_1');
    expect(() => pullRequestSchema('main', '---')).toThrow(DbtRunnerError);
  });
});

describe('what slim CI selects', () => {
  it('defers to a manifest of the same adapter', () => {
    expect(slimCiSelection('athena', 'athena')).toMatchObject({
      select: ['state:modified+'],
      defer: true,
    });
  });

  it('builds changed nodes with every parent they need when the manifest is from another adapter', () => {
    expect(slimCiSelection('athena', 'duckdb')).toMatchObject({
      select: ['@state:modified'],
      defer: false,
    });
  });

  it('builds everything without a manifest', () => {
    expect(slimCiSelection(undefined, 'duckdb')).toMatchObject({ select: [], defer: false });
  });
});
