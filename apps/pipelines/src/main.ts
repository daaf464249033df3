// The pipelines command line: `master-flow` (the platform's main job on embedded defaults) and
// `bronze-to-silver` (one step of it on its own).
import { dirname, join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '@finks/config';
import { partitionDate } from '@finks/lake-paths';
import { describeTotalValue } from './master-flow/gold-summary';
import { lastCloseDay, masterFlow, type MasterFlowResult } from './master-flow/master-flow';
import { consoleProgress, progressWriter } from './master-flow/progress';
import { resolveMongodbUri } from './master-flow/mongodb-source';
import { bronzeToSilverCommand } from './transformation/bronze-to-silver/cli';
import { deployCommands } from './deploy/cli';
import { resolveTarget } from './flows/target';
import { writeRunReport } from './report';

const count = (flag: string, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new InvalidArgumentError(`${flag} must be a whole number from 1 to ${max}`);
  return n;
};

const date = (flag: string) => (value: string) => {
  try {
    return partitionDate(value, flag);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

const fmt = (value: number | null, digits = 2) =>
  value === null || !Number.isFinite(value)
    ? 'n/a'
    : value.toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      });

function printSummary(result: MasterFlowResult): void {
  const bronzeRows = result.bronze.reduce((n, m) => n + m.rowCount, 0);
  const quarantined =
    result.bronze.reduce((n, m) => n + m.quarantined, 0) +
    result.silver.reduce((n, s) => n + s.quarantined, 0);
  const silverRows = result.silver.reduce((n, s) => n + s.valid, 0);
  const goldRows = Object.values(result.gold.rows).reduce((n, r) => n + r, 0);
  console.log('\nSummary');
  console.log(`  correlation id        ${result.correlationId}`);
  console.log(
    `  market                ${result.market === 'fake' ? 'built-in fake FMP market' : 'FMP stable API'}`,
  );
  console.log(`  bronze rows           ${bronzeRows}`);
  // Silver reads the batches no run has cleansed yet: this run's, and any a failed run left.
  const batches = result.silver.reduce((n, s) => n + s.bronzeBatches, 0);
  console.log(
    `  silver rows cleansed  ${silverRows} (from ${batches} bronze batches not cleansed before)`,
  );
  console.log(
    `  gold rows             ${goldRows} (${Object.entries(result.gold.rows)
      .map(([m, n]) => `${m} ${n}`)
      .join(', ')})`,
  );
  console.log(`  records quarantined   ${quarantined}`);
  for (const failure of result.failures) {
    console.log(`  FAILED source         ${failure.step}: ${failure.error.split('\n')[0]}`);
  }
  console.log(`  dbt                   ${result.dbt.message}`);
  console.log(`  as of                 ${result.gold.latestDate ?? 'n/a'}`);
  console.log(
    `  portfolio value       ${describeTotalValue(result.gold, (value) => `${fmt(value)} USD`)}`,
  );
  console.log(`  latest monthly return ${fmt(result.gold.latestMonthlyReturnPct)} % (average TWR)`);
  console.log(
    `  1-day VaR 95 %        ${fmt(result.gold.latestVar95Amount)} USD (historical, summed)`,
  );
}

const program = new Command('pipelines').description('Finks pipelines: the platform flows');

program
  .command('master-flow')
  .description(
    'sources → bronze → silver → gold on the embedded defaults (local lake, DuckDB, dbt-duckdb)',
  )
  .option('--symbols <n>', 'symbols of the fake market to ingest', count('--symbols', 500), 8)
  .option('--portfolios <n>', 'demo portfolios', count('--portfolios', 50), 3)
  .option('--years <n>', 'years of price history', count('--years', 10), 2)
  .option(
    '--as-of <date>',
    "the market's today (default: the last weekday before today, UTC)",
    date('--as-of'),
  )
  .option('--json', 'print the result as JSON on stdout')
  .action(
    async (flags: {
      symbols: number;
      portfolios: number;
      years: number;
      asOf?: string;
      json?: boolean;
    }) => {
      const config = loadConfig();
      if (config.lake.kind !== 'filesystem') {
        throw new Error(
          `master-flow runs on the local filesystem lake; FINKS_ENV=${config.env} has an S3 lake (deploy the flows instead)`,
        );
      }
      const asOf = flags.asOf ?? lastCloseDay();
      const from = new Date(`${asOf}T00:00:00Z`);
      from.setUTCFullYear(from.getUTCFullYear() - flags.years);
      const fmpBaseUrl = process.env['FMP_BASE_URL'];
      const progress = consoleProgress(
        ['sources', 'bronze', 'silver', 'gold'],
        progressWriter(flags.json === true),
      );
      progress.note(`lake ${config.lake.root}`);
      // The connection string stays in the environment: Prefect stores flow parameters.
      const mongodbUri = await resolveMongodbUri(process.env['MONGODB_URI'], (text) =>
        progress.note(text),
      );
      if (mongodbUri) process.env['MONGODB_URI'] = mongodbUri;
      else delete process.env['MONGODB_URI'];
      const result = await masterFlow(progress)({
        env: config.env,
        lakeRoot: config.lake.root,
        symbols: flags.symbols,
        portfolios: flags.portfolios,
        from: from.toISOString().slice(0, 10),
        asOf,
        mongodbDatabase: 'finks_demo',
        ...(fmpBaseUrl ? { fmpBaseUrl } : {}),
      });
      // The run report beside the lake (.finks/run-report.html for the default lake).
      const target = resolveTarget({ env: config.env, lakeRoot: config.lake.root });
      if (target.kind === 'local') {
        const report = await writeRunReport({
          lake: target.lake,
          result,
          outFile: join(dirname(target.lake.root), 'run-report.html'),
          asOf,
        });
        progress.note(`run report: ${report.file}`);
      }
      if (flags.json) console.log(JSON.stringify(result));
      else printSummary(result);
      // 1: the run failed (dbt tests failed); 2: it finished, but a source failed (see the summary).
      if (result.dbt.exitCode !== 0) process.exitCode = 1;
      else if (result.failures.length > 0) process.exitCode = 2;
    },
  );

program.addCommand(bronzeToSilverCommand());
for (const command of deployCommands()) program.addCommand(command);

program.parseAsync().catch((error: unknown) => {
  console.error(`pipelines: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
