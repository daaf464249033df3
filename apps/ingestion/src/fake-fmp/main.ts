// Starts the fake FMP market on 127.0.0.1 until SIGINT/SIGTERM: `nx run ingestion:fake-fmp`.
import { Command, InvalidArgumentError } from 'commander';
import { startFakeFmp } from './server';

const integer = (flag: string) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${flag} must be a whole number`);
  return Number(value);
};

const program = new Command('fake-fmp')
  .description(
    'A deterministic fake of the FMP stable API for tests, the local job and benchmarks.',
  )
  .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', integer('--port'), 8089)
  .option('--symbols <n>', 'number of synthetic symbols', integer('--symbols'), 20)
  .option('--seed <n>', 'random seed', integer('--seed'), 42)
  .option('--history-start <date>', 'first day of price history', '2018-01-02')
  .option('--as-of <date>', "the market's today (default: today UTC)")
  .option(
    '--calls-per-minute <n>',
    'rate limit enforced with 429 "Limit Reach"',
    integer('--calls-per-minute'),
  )
  .option('--no-track-rows', 'do not count distinct rows served (benchmarks)')
  .action(
    async (flags: {
      port: number;
      symbols: number;
      seed: number;
      historyStart: string;
      asOf?: string;
      callsPerMinute?: number;
      trackRows: boolean;
    }) => {
      const fake = await startFakeFmp({
        port: flags.port,
        symbols: flags.symbols,
        seed: flags.seed,
        historyStart: flags.historyStart,
        ...(flags.asOf === undefined ? {} : { asOf: flags.asOf }),
        callsPerMinute: flags.callsPerMinute ?? null,
        trackRows: flags.trackRows,
        ...(process.env['FMP_API_KEY'] ? { apiKey: process.env['FMP_API_KEY'] } : {}),
      });
      process.stdout.write(
        `${JSON.stringify({ baseUrl: fake.baseUrl, symbols: fake.market.symbols })}\n`,
      );
      const stop = () => void fake.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
  );

await program.parseAsync();
