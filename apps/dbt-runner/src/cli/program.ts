import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { S3Client } from '@aws-sdk/client-s3';
import { Command, Option } from 'commander';
import { loadConfig, type FinksConfig } from '@finks/config';
import { bucketName, parseEnv, type Env } from '@finks/lake-paths';
import {
  LocalArtifactStore,
  S3ArtifactStore,
  type ArtifactStore,
} from '../artifacts/artifact-store';
import { DBT_COMMANDS, type DbtCommand, type DbtVars } from '../dbt/dbt-args';
import { parseCacheDirFor } from '../dbt/parse-cache';
import { newRunFolder } from '../dbt/run-folders';
import { formatSummaryTable } from '../dbt/run-results';
import {
  athenaTargetEnvironment,
  localTargetEnvironment,
  type TargetEnvironment,
} from '../dbt/target-environment';
import { DbtRunnerError } from '../errors/dbt-runner-error';
import { EXIT_CODES } from '../exit-code';
import { runMetricsLine } from '../metrics';
import { runDbt, type DbtRunOutcome } from '../runner';
import { assertCiSchema, pullRequestSchema } from '../ci/ci-schema';
import { dropCiSchema } from '../ci/drop-ci-schema';
import { hasSilver } from '../lake/local-lake';
import { runSlimCi, type SlimCiState } from '../slim-ci';
import { FIXTURE } from '../testing/fixture';
import { syntheticSilver } from '../testing/synthetic-silver';
import { writeSyntheticSilver } from '../testing/write-silver';
import { defaultWorkDir } from './work-dir';

interface CommonOptions {
  readonly env?: string;
  readonly select?: string[];
  readonly exclude?: string[];
  readonly vars?: string;
  readonly correlationId?: string;
  readonly workDir?: string;
  readonly upload: boolean;
  readonly publishLatest?: boolean;
  readonly fullRefresh?: boolean;
  readonly json?: boolean;
}

interface Context {
  readonly env: Env;
  readonly config: FinksConfig;
  readonly workDir: string;
  readonly store: ArtifactStore;
}

function context(options: CommonOptions): Context {
  const config = loadConfig(options.env ? { env: options.env as never } : {});
  const env = parseEnv(config.env);
  const workDir = options.workDir ?? defaultWorkDir(config, env);
  const bucket = bucketName({ env, zone: 'artifacts', accountId: config.accountId });
  const store: ArtifactStore =
    config.lake.kind === 'filesystem'
      ? new LocalArtifactStore(bucket, config.lake.root)
      : new S3ArtifactStore(new S3Client({ region: config.region }), bucket);
  return { env, config, workDir, store };
}

function environmentFor(ctx: Context, schema?: string, exportGold = true): TargetEnvironment {
  if (ctx.env === 'local') {
    if (ctx.config.lake.kind !== 'filesystem') {
      throw new DbtRunnerError('invalid_option', 'the local env needs a filesystem lake');
    }
    return localTargetEnvironment({
      lake: { lakeRoot: ctx.config.lake.root, env: ctx.env, accountId: ctx.config.accountId },
      duckdbPath: join(ctx.workDir, 'finks.duckdb'),
      exportGold,
      ...(schema ? { schema } : {}),
    });
  }
  return athenaTargetEnvironment({
    env: ctx.env,
    accountId: ctx.config.accountId,
    region: ctx.config.region,
    exportGold,
    ...(schema ? { schema } : {}),
  });
}

interface SlimCiCliOptions {
  readonly pr?: string;
  readonly schema?: string;
  readonly stateDir?: string;
  readonly stateEnv?: string;
  readonly keepSchema?: boolean;
  readonly seedEmptyLake?: boolean;
}

/** The PR schema from --schema / DBT_CI_SCHEMA or --pr (exactly one), validated. */
function ciSchemaFor(ctx: Context, options: SlimCiCliOptions): string {
  if (options.schema && options.pr) {
    throw new DbtRunnerError(
      'invalid_option',
      `give --pr or --schema / DBT_CI_SCHEMA, not both (got --pr ${options.pr} and ${options.schema})`,
    );
  }
  if (options.schema) return assertCiSchema(options.schema);
  if (!options.pr) {
    throw new DbtRunnerError(
      'invalid_option',
      'no PR schema: set DBT_CI_SCHEMA (e.g. ci_pr_12), or pass --schema or --pr',
    );
  }
  const base =
    ctx.env === 'local'
      ? 'main'
      : (athenaTargetEnvironment({
          env: ctx.env,
          accountId: ctx.config.accountId,
          region: ctx.config.region,
        }).env['FINKS_DBT_SCHEMA'] ?? 'gold');
  return pullRequestSchema(base, options.pr);
}

function slimCiState(ctx: Context, options: SlimCiCliOptions): SlimCiState {
  if (options.stateDir && options.stateEnv) {
    throw new DbtRunnerError(
      'invalid_option',
      'give --state-dir / DBT_STATE_DIR or --state-env, not both',
    );
  }
  if (options.stateDir) return { kind: 'dir', dir: options.stateDir };
  if (options.stateEnv) return { kind: 'store', store: ctx.store, env: parseEnv(options.stateEnv) };
  return { kind: 'none' };
}

/** CI checkouts have no local lake: give slim CI the deterministic fixture to build from. */
async function seedEmptySilver(ctx: Context, log: NodeJS.WritableStream): Promise<void> {
  if (ctx.env !== 'local' || ctx.config.lake.kind !== 'filesystem') return;
  const lake = { lakeRoot: ctx.config.lake.root, env: ctx.env, accountId: ctx.config.accountId };
  if (await hasSilver(lake)) return;
  log.write(
    `the silver zone of ${lake.lakeRoot} is empty: writing the synthetic fixture ` +
      `(${FIXTURE.portfolios} portfolios, ${FIXTURE.symbols} symbols, ${FIXTURE.tradingDays} days)\n`,
  );
  await writeSyntheticSilver(lake, syntheticSilver(FIXTURE), join(ctx.workDir, 'fixture-scratch'));
}

function parseVars(text: string | undefined): DbtVars {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as DbtVars;
  } catch {
    // reported below
  }
  throw new DbtRunnerError('invalid_option', `--vars must be a JSON object, got ${text}`);
}

/** True at a first line `go` on stdin, false at any other line or the end of input. */
function goOnStdin(): Promise<boolean> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.once('line', (line) => {
      resolve(line.trim() === 'go');
      lines.close();
    });
    lines.once('close', () => resolve(false));
  });
}

function runFolder(ctx: Context, command: string): Promise<string> {
  return newRunFolder(ctx.workDir, command);
}

function report(
  outcome: DbtRunOutcome,
  ctx: Context,
  command: string,
  json: boolean | undefined,
): number {
  const log = process.stderr;
  if (outcome.summary) {
    log.write(`\n${formatSummaryTable(outcome.summary)}\n`);
    log.write(`${runMetricsLine(outcome.summary, { Env: ctx.env, Command: command })}\n`);
  }
  for (const artifact of outcome.artifacts)
    log.write(`uploaded ${artifact.file} -> ${artifact.location}\n`);
  log.write(`${outcome.message}\n`);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ exitCode: outcome.exitCode, message: outcome.message, summary: outcome.summary, artifacts: outcome.artifacts })}\n`,
    );
  }
  return outcome.exitCode;
}

function withCommonOptions(command: Command): Command {
  return command
    .option('--env <env>', 'local, dev, staging or prod (default: FINKS_ENV, else local)')
    .option('-s, --select <selector...>', 'dbt node selection')
    .option('--exclude <selector...>', 'dbt nodes to leave out')
    .option('--vars <json>', 'extra dbt vars as a JSON object')
    .option(
      '--correlation-id <id>',
      "the orchestrator's run id; lands in query comments and gold rows",
    )
    .option('--work-dir <dir>', 'scratch folder for DuckDB and dbt target folders')
    .option('--no-upload', 'keep artifacts local instead of publishing them to the artifacts zone')
    .option('--json', 'print the run summary as JSON on stdout (the log goes to stderr)');
}

/** The runner's CLI; `run` resolves to the process exit code. */
export function buildProgram(onExit: (code: number) => void): Command {
  const program = new Command('dbt-runner')
    .description('Runs the Finks dbt project (silver -> gold) and publishes its artifacts')
    .exitOverride();

  for (const command of DBT_COMMANDS.filter((name) => name !== 'run-operation')) {
    const sub = withCommonOptions(new Command(command))
      .description(`dbt ${command === 'docs' ? 'docs generate' : command}`)
      .option('--full-refresh', 'rebuild incremental models and snapshots from scratch')
      .option(
        '--publish-latest',
        "on success, also publish manifest.json as the env's latest (main builds)",
      )
      .option(
        '--hold',
        'import dbt and parse now, run when a line "go" arrives on stdin (a local flow starts gold during silver); end of input without it exits 3 and builds nothing',
      )
      .action(async (options: CommonOptions & { hold?: boolean }) => {
        const ctx = context(options);
        const environment = environmentFor(ctx);
        const outcome = await runDbt({
          command: command as DbtCommand,
          env: ctx.env,
          environment,
          targetPath: await runFolder(ctx, command),
          parseCacheDir: parseCacheDirFor(environment),
          vars: parseVars(options.vars),
          // A docs site is served from a stable folder; a run's console log goes to stderr.
          log: process.stderr,
          ...(options.upload ? { artifacts: ctx.store } : {}),
          ...(options.select ? { select: options.select } : {}),
          ...(options.exclude ? { exclude: options.exclude } : {}),
          ...(options.correlationId ? { correlationId: options.correlationId } : {}),
          ...(options.fullRefresh ? { fullRefresh: true } : {}),
          ...(options.publishLatest ? { publishLatest: true } : {}),
          ...(options.hold ? { hold: goOnStdin() } : {}),
        });
        onExit(report(outcome, ctx, command, options.json));
      });
    program.addCommand(sub);
  }

  const slim = withCommonOptions(new Command('slim-ci'))
    .description(
      'dbt build --select state:modified+ --defer against a main build manifest, in a per-PR schema',
    )
    .option('--pr <id>', 'pull request number or branch slug: builds into <base schema>_pr_<id>')
    .addOption(
      new Option('--schema <name>', 'the PR schema itself, e.g. ci_pr_12 (instead of --pr)').env(
        'DBT_CI_SCHEMA',
      ),
    )
    .addOption(
      new Option(
        '--state-dir <dir>',
        'folder with the manifest.json to compare with; without one there, builds everything',
      ).env('DBT_STATE_DIR'),
    )
    .option(
      '--state-env <env>',
      "compare with that env's latest manifest in the artifacts zone (e.g. prod)",
    )
    .option('--keep-schema', 'leave the PR schema in place (the PR-closed workflow drops it)')
    .option(
      '--seed-empty-lake',
      'local env: write the synthetic fixture into an empty silver zone first (CI has no lake)',
    )
    .action(async (options: CommonOptions & SlimCiCliOptions) => {
      const ctx = context(options);
      const schema = ciSchemaFor(ctx, options);
      if (options.seedEmptyLake) await seedEmptySilver(ctx, process.stderr);
      const outcome = await runSlimCi({
        env: ctx.env,
        environment: environmentFor(ctx, schema, false),
        targetPath: await runFolder(ctx, 'slim-ci'),
        state: slimCiState(ctx, options),
        vars: parseVars(options.vars),
        log: process.stderr,
        ...(options.upload ? { artifacts: ctx.store } : {}),
        ...(options.correlationId ? { correlationId: options.correlationId } : {}),
        ...(options.keepSchema ? { keepSchema: true } : {}),
      });
      onExit(report(outcome, ctx, 'slim-ci', options.json));
    });
  program.addCommand(slim);

  const drop = new Command('drop-ci-schema')
    .description("drops a pull request's schema (only names like ci_pr_12 are accepted)")
    .option('--env <env>', 'local, dev, staging or prod (default: FINKS_ENV, else local)')
    .option('--pr <id>', 'pull request number or branch slug: drops <base schema>_pr_<id>')
    .addOption(new Option('--schema <name>', 'the PR schema, e.g. ci_pr_12').env('DBT_CI_SCHEMA'))
    .option('--work-dir <dir>', 'scratch folder for DuckDB and dbt target folders')
    .action(async (options: Pick<CommonOptions, 'env' | 'workDir'> & SlimCiCliOptions) => {
      const ctx = context({ ...options, upload: false });
      const schema = ciSchemaFor(ctx, options);
      await dropCiSchema({
        schema,
        environment: environmentFor(ctx, schema, false),
        targetPath: await runFolder(ctx, 'drop-ci-schema'),
        log: process.stderr,
      });
      process.stderr.write(`dropped ${schema} (if it existed)\n`);
      onExit(EXIT_CODES.ok);
    });
  program.addCommand(drop);
  return program;
}

/** Parses argv and runs; resolves to the exit code (usage errors map to EXIT_CODES.usage). */
export async function runCli(argv: readonly string[]): Promise<number> {
  let code: number = EXIT_CODES.ok;
  const program = buildProgram((exitCode) => {
    code = exitCode;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number') {
      // commander's own exits: --help and --version are 0, bad usage is not.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (error instanceof DbtRunnerError) {
      process.stderr.write(`dbt-runner: ${error.message}\n`);
      return error.code === 'invalid_option' ? EXIT_CODES.usage : EXIT_CODES.dbtError;
    }
    throw error;
  }
  return code;
}
