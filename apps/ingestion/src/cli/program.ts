// The connectors other than fmp are imported when their command runs: each process runs one,
// and the MongoDB driver alone cost ~0.3 s of CPU at every start of the fmp connector.
import { Command, Option } from 'commander';
import { runFmp } from '../fmp/run-fmp';
import { FMP_DATASETS, type FmpDataset } from '../fmp/streams';
import { MONGODB_COLLECTION_NAMES, type MongodbCollection } from '../mongodb/collections';
import type { DocumentSource } from '../mongodb/document-source';
import { resolveSecret } from '../secrets';
import {
  fmpClientFor,
  runContext,
  useSecretsManager,
  type CommonFlags,
  type RunContext,
} from './context';
import {
  isoDate,
  listOf,
  nonNegativeNumber,
  percentage,
  positiveInteger,
  positiveNumber,
  readUniverseFile,
  symbolList,
} from './flags';

/**
 * Adds the flags every connector shares. `--dry-run` only where it holds: news-stream spools
 * each accepted article to its write-ahead log in the lake before anything else, so it takes
 * the flag only to refuse it (refuseDryRun) rather than write while told not to.
 */
function common(command: Command, { dryRun }: { dryRun: boolean }): Command {
  return command
    .addOption(
      new Option(
        '--lake <target>',
        'where to write: local (filesystem lake) or s3 (the FINKS_ENV buckets); default from config/<env>.yaml',
      ).choices(['local', 's3']),
    )
    .option(
      '--lake-root <dir>',
      'local lake directory (default FINKS_LAKE_ROOT, else lake.root of the config: <repo>/.finks/lake)',
    )
    .addOption(
      dryRun
        ? new Option('--dry-run', 'fetch and validate, write nothing').default(false)
        : new Option('--dry-run').hideHelp(),
    )
    .option(
      '--error-budget <percent>',
      'fail a dataset when more than this share of its records is invalid',
      percentage,
      0.05,
    )
    .option(
      '--correlation-id <id>',
      'id on every log line and in the manifests (default FINKS_CORRELATION_ID, else PREFECT__FLOW_RUN_ID, else a new one)',
    )
    .option('--part-size <records>', 'records per bronze object', positiveInteger, 50_000);
}

function refuseDryRun(command: Command, flags: CommonFlags): void {
  if (flags.dryRun !== true) return;
  command.error(
    `error: ${command.name()} does not take '--dry-run': it writes every article it accepts to its write-ahead log in the lake before anything else, so it cannot run without writing. To fetch and validate news without writing, run 'fmp --datasets news --dry-run'.`,
    { exitCode: 2 },
  );
}

function fmpClientOptions(command: Command): Command {
  return command
    .option(
      '--calls-per-minute <n>',
      'rate limit (default fmp.callsPerMinute of the config)',
      positiveInteger,
    )
    .option(
      '--calls-per-day <n>',
      'daily call cap (default fmp.callsPerDay of the config)',
      positiveInteger,
    )
    .option('--concurrency <n>', 'requests in flight at once', positiveInteger, 8)
    .option('--timeout-seconds <n>', 'per-request timeout', positiveNumber, 30);
}

async function finish(context: RunContext, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    // Counted for the Environment dimension the alarm reads, whatever the dataset.
    context.metrics.add('BatchesFailed');
    throw error;
  } finally {
    for (const line of context.metrics.toEmf(context.logger.correlationId))
      process.stdout.write(`${line}\n`);
  }
}

function progress(dataset: string, done: number, total: number): void {
  if (process.stderr.isTTY)
    process.stderr.write(`\r${dataset}: ${done}/${total} requests${done === total ? '\n' : ''}`);
}

export interface ProgramOutput {
  writeOut?: (text: string) => void;
  writeErr?: (text: string) => void;
}

/**
 * The CLI. Parsing never exits the process: errors throw CommanderError (set before the
 * subcommands exist so they inherit it); main.ts maps bad flags to exit code 2.
 */
export function buildProgram(output: ProgramOutput = {}): Command {
  const program = new Command('ingestion')
    .description('Finks ingestion connectors: land validated raw data in the bronze zone.')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput(output);

  fmpClientOptions(
    common(
      program
        .command('fmp')
        .description(
          'Financial Modeling Prep stable API → bronze (full or incremental per symbol).',
        ),
      { dryRun: true },
    ),
  )
    .option(
      '--datasets <list>',
      `comma-separated: ${FMP_DATASETS.join(', ')}`,
      listOf(FMP_DATASETS),
      FMP_DATASETS,
    )
    .option('--symbols <list>', 'comma-separated tickers', symbolList)
    .option('--universe-file <path>', 'file with one ticker per line (# comments)')
    .option('--from <date>', 'first day (YYYY-MM-DD); default five years before --to', isoDate)
    .option('--to <date>', 'last day (YYYY-MM-DD); default today (UTC)', isoDate)
    .addOption(
      new Option('--period <period>', 'statement periods')
        .choices(['annual', 'quarter', 'both'])
        .default('both'),
    )
    .option('--statement-limit <n>', 'statements per symbol and period', positiveInteger, 40)
    .option('--full', 'ignore bookmarks and read the whole window', false)
    .option(
      '--max-plan-attempts <n>',
      'runs a stored plan may take; on the last, requests that still fail are recorded as failed and the rest is committed, over the error budget too',
      positiveInteger,
      3,
    )
    .action(
      async (
        flags: CommonFlags & {
          datasets: FmpDataset[];
          symbols?: string[];
          universeFile?: string;
          from?: string;
          to?: string;
          period: string;
          statementLimit: number;
          full: boolean;
          maxPlanAttempts: number;
          callsPerMinute?: number;
          callsPerDay?: number;
          concurrency: number;
          timeoutSeconds: number;
        },
        command: Command,
      ) => {
        let symbols = flags.symbols ?? [];
        if (flags.universeFile !== undefined) {
          try {
            symbols = [...symbols, ...readUniverseFile(flags.universeFile)];
          } catch (error) {
            command.error(
              `error: option '--universe-file <path>' could not be read: ${(error as Error).message}`,
              { exitCode: 2 },
            );
          }
        }
        if (symbols.length === 0)
          command.error("error: give symbols with '--symbols <list>' or '--universe-file <path>'", {
            exitCode: 2,
          });
        if (flags.from !== undefined && flags.to !== undefined && flags.from > flags.to) {
          command.error(
            `error: option '--from <date>' (${flags.from}) is after '--to <date>' (${flags.to})`,
            { exitCode: 2 },
          );
        }
        const context = runContext('fmp', flags);
        await finish(context, async () => {
          const client = await fmpClientFor(context, flags);
          await runFmp({
            lake: context.lake,
            client,
            datasets: flags.datasets,
            symbols: [...new Set(symbols)].sort(),
            ...(flags.from === undefined ? {} : { from: flags.from }),
            ...(flags.to === undefined ? {} : { to: flags.to }),
            periods:
              flags.period === 'both'
                ? ['annual', 'quarter']
                : [flags.period as 'annual' | 'quarter'],
            statementLimit: flags.statementLimit,
            errorBudget: flags.errorBudget,
            concurrency: flags.concurrency,
            full: flags.full,
            maxPlanAttempts: flags.maxPlanAttempts,
            dryRun: flags.dryRun === true,
            partMaxRecords: flags.partSize ?? 50_000,
            logger: context.logger,
            metrics: context.metrics,
            onProgress: progress,
          });
        });
      },
    );

  common(
    program
      .command('mongodb')
      .description(
        'The portfolio database (portfolios, transactions) → bronze, incremental by updatedAt + _id.',
      ),
    { dryRun: true },
  )
    .option(
      '--collections <list>',
      `comma-separated: ${MONGODB_COLLECTION_NAMES.join(', ')}`,
      listOf(MONGODB_COLLECTION_NAMES),
      MONGODB_COLLECTION_NAMES,
    )
    .option(
      '--database <name>',
      "database name (default: the one in MONGODB_URI's path, else 'test')",
    )
    .option('--batch-size <n>', 'documents per cursor batch', positiveInteger, 1000)
    .option('--full', 'ignore the watermark and read every document', false)
    .option(
      '--settle-seconds <n>',
      'read only documents stamped at least this long before the run starts, so a write that becomes visible after its updatedAt (transaction, slow write, clock skew) is not skipped',
      nonNegativeNumber,
      60,
    )
    .option(
      '--max-plan-attempts <n>',
      'runs a stored plan may take; the last commits a collection over the error budget anyway (its invalid documents in quarantine)',
      positiveInteger,
      3,
    )
    .option(
      '--snapshot-file <path>',
      'read the collections from an Extended JSON snapshot ({"portfolios": [...], ...}) instead of MongoDB; reads it whole and moves no watermark',
    )
    .action(
      async (
        flags: CommonFlags & {
          collections: MongodbCollection[];
          database?: string;
          batchSize: number;
          full: boolean;
          settleSeconds: number;
          maxPlanAttempts: number;
          snapshotFile?: string;
        },
      ) => {
        const context = runContext('mongodb', flags);
        const [{ connectMongo }, { databaseSource, snapshotFileSource }, { runMongodb }] =
          await Promise.all([
            import('../mongodb/connection'),
            import('../mongodb/document-source'),
            import('../mongodb/run-mongodb'),
          ]);
        const run = (source: DocumentSource) =>
          runMongodb({
            lake: context.lake,
            source,
            collections: flags.collections,
            batchSize: flags.batchSize,
            errorBudget: flags.errorBudget,
            maxPlanAttempts: flags.maxPlanAttempts,
            settleMs: flags.settleSeconds * 1000,
            full: flags.full,
            dryRun: flags.dryRun === true,
            partMaxRecords: flags.partSize ?? 50_000,
            logger: context.logger,
            metrics: context.metrics,
          });
        const snapshot = flags.snapshotFile;
        if (snapshot !== undefined) {
          await finish(context, async () => {
            context.logger.log('warn', 'reading a snapshot file, not the database', {
              file: snapshot,
            });
            await run(await snapshotFileSource(snapshot));
          });
          return;
        }
        await finish(context, async () => {
          const secretName = context.config.secretNames.mongodbUri;
          const uri = await resolveSecret({
            envVar: 'MONGODB_URI',
            secretName,
            region: context.config.region,
            useSecretsManager: useSecretsManager(context.config),
          });
          context.logger.redact(uri);
          // resolveSecret takes the variable when it is set, else the secret.
          const origin = process.env['MONGODB_URI'] ? 'MONGODB_URI' : `the secret "${secretName}"`;
          const client = await connectMongo(uri, origin);
          try {
            await run(databaseSource(client, flags.database));
          } finally {
            await client.close();
          }
        });
      },
    );

  fmpClientOptions(
    common(
      program
        .command('news-stream')
        .description(
          'Follows FMP latest stock news; writes micro-batches of N records or T seconds. SIGTERM flushes and exits 0.',
        ),
      { dryRun: false },
    ),
  )
    .option('--interval-seconds <n>', 'poll interval', positiveNumber, 60)
    .option('--batch-records <n>', 'flush a micro-batch at this many records', positiveInteger, 500)
    .option('--batch-seconds <n>', 'or when its oldest record is this old', positiveNumber, 60)
    .option('--page-size <n>', 'articles per page', positiveInteger, 100)
    .option(
      '--max-runtime-seconds <n>',
      'stop (flushing) after this long; default: run until SIGTERM',
      positiveNumber,
    )
    .option(
      '--max-batch-attempts <n>',
      'starts that may commit a micro-batch over the error budget before the last one commits it anyway (its invalid articles in quarantine)',
      positiveInteger,
      3,
    )
    .action(
      async (
        flags: CommonFlags & {
          intervalSeconds: number;
          batchRecords: number;
          batchSeconds: number;
          pageSize: number;
          maxRuntimeSeconds?: number;
          maxBatchAttempts: number;
          callsPerMinute?: number;
          callsPerDay?: number;
          concurrency: number;
          timeoutSeconds: number;
        },
        command: Command,
      ) => {
        refuseDryRun(command, flags);
        const context = runContext('news-stream', flags);
        const controller = new AbortController();
        const stop = (signal: string) => {
          context.logger.log('info', 'stopping: flushing the open micro-batch', { signal });
          controller.abort(new Error(signal));
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
        if (flags.maxRuntimeSeconds !== undefined)
          setTimeout(() => stop('max-runtime'), flags.maxRuntimeSeconds * 1000).unref();
        await finish(context, async () => {
          const { runNewsStream } = await import('../news-stream/run-news-stream');
          const client = await fmpClientFor(context, flags);
          await runNewsStream({
            lake: context.lake,
            client,
            intervalMs: flags.intervalSeconds * 1000,
            batchRecords: flags.batchRecords,
            batchMs: flags.batchSeconds * 1000,
            pageSize: flags.pageSize,
            errorBudget: flags.errorBudget,
            maxBatchAttempts: flags.maxBatchAttempts,
            partMaxRecords: flags.partSize ?? 50_000,
            signal: controller.signal,
            logger: context.logger,
            metrics: context.metrics,
          });
        });
      },
    );

  return program;
}
