import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { Command, Option } from 'commander';
import { loadConfig, type FinksConfig } from '@finks/config';
import { bucketName, parseEnv, type Env } from '@finks/lake-paths';
import { REPO_ROOT } from '../app-root';
import {
  LocalArtifactStore,
  S3ArtifactStore,
  type ArtifactStore,
} from '../artifacts/artifact-store';
import { DBT_COMMANDS, type DbtCommand, type DbtVars } from '../dbt/dbt-args';
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
import { pullRequestSchema, runSlimCi } from '../slim-ci';

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
  const workDir = options.workDir ?? join(REPO_ROOT, '.finks', 'dbt', env);
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

function runFolder(ctx: Context, command: string): string {
  return join(ctx.workDir, 'runs', `${new Date().toISOString().replace(/[:.]/g, '-')}-${command}`);
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
      .action(async (options: CommonOptions) => {
        const ctx = context(options);
        const outcome = await runDbt({
          command: command as DbtCommand,
          env: ctx.env,
          environment: environmentFor(ctx),
          targetPath: runFolder(ctx, command),
          vars: parseVars(options.vars),
          // A docs site is served from a stable folder; a run's console log goes to stderr.
          log: process.stderr,
          ...(options.upload ? { artifacts: ctx.store } : {}),
          ...(options.select ? { select: options.select } : {}),
          ...(options.exclude ? { exclude: options.exclude } : {}),
          ...(options.correlationId ? { correlationId: options.correlationId } : {}),
          ...(options.fullRefresh ? { fullRefresh: true } : {}),
          ...(options.publishLatest ? { publishLatest: true } : {}),
        });
        onExit(report(outcome, ctx, command, options.json));
      });
    program.addCommand(sub);
  }

  const slim = withCommonOptions(new Command('slim-ci'))
    .description(
      'dbt build --select state:modified+ --defer against the latest prod manifest, in a per-PR schema',
    )
    .requiredOption('--pr <id>', 'pull request number or branch slug (names the PR schema)')
    .addOption(
      new Option('--state-env <env>', 'whose latest manifest to compare with').default('prod'),
    )
    .option('--keep-schema', 'leave the PR schema in place')
    .action(
      async (options: CommonOptions & { pr: string; stateEnv: string; keepSchema?: boolean }) => {
        const ctx = context(options);
        const base =
          ctx.env === 'local'
            ? 'main'
            : (athenaTargetEnvironment({
                env: ctx.env,
                accountId: ctx.config.accountId,
                region: ctx.config.region,
              }).env['FINKS_DBT_SCHEMA'] ?? 'gold');
        const outcome = await runSlimCi({
          env: ctx.env,
          environment: environmentFor(ctx, pullRequestSchema(base, options.pr), false),
          targetPath: runFolder(ctx, 'slim-ci'),
          stateStore: ctx.store,
          stateEnv: parseEnv(options.stateEnv),
          vars: parseVars(options.vars),
          log: process.stderr,
          ...(options.upload ? { artifacts: ctx.store } : {}),
          ...(options.correlationId ? { correlationId: options.correlationId } : {}),
          ...(options.keepSchema ? { keepSchema: true } : {}),
        });
        onExit(report(outcome, ctx, 'slim-ci', options.json));
      },
    );
  program.addCommand(slim);
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
