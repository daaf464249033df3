// `nx run ingestion:bench`: ingests ≥ 1 M end-of-day rows for ≥ 500 symbols from the fake market
// (in its own process, so the RSS below is the connector's) and prints the figures.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { positiveInteger } from '../cli/flags';
import { FmpClient } from '../fmp/fmp-client';
import { RateLimiter } from '../fmp/rate-limiter';
import { runFmp } from '../fmp/run-fmp';
import { openLake } from '../lake/lake-target';
import { createLogger } from '../observability/logger';
import { Metrics } from '../observability/metrics';

const program = new Command('bench')
  .option('--symbols <n>', 'symbols in the fake market', positiveInteger, 500)
  .option(
    '--calls-per-minute <n>',
    'rate limit of the fake market and of the client',
    positiveInteger,
    200,
  )
  .option('--from <date>', 'first day', '2018-01-02')
  .option('--to <date>', 'last day', '2025-12-31')
  .option('--concurrency <n>', 'requests in flight', positiveInteger, 8)
  .parse();
const flags = program.opts<{
  symbols: number;
  callsPerMinute: number;
  from: string;
  to: string;
  concurrency: number;
}>();

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const fake = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    join(appRoot, 'src/fake-fmp/main.ts'),
    '--port',
    '0',
    '--symbols',
    String(flags.symbols),
    '--history-start',
    flags.from,
    '--as-of',
    flags.to,
    '--calls-per-minute',
    String(flags.callsPerMinute),
    '--no-track-rows',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FMP_API_KEY: 'bench-key' } },
);
const started = await new Promise<{ baseUrl: string; symbols: string[] }>((resolve, reject) => {
  fake.once('exit', (code) => reject(new Error(`fake market exited with ${code}`)));
  createInterface({ input: fake.stdout }).once('line', (line) =>
    resolve(JSON.parse(line) as { baseUrl: string; symbols: string[] }),
  );
});

const root = await mkdtemp(join(tmpdir(), 'finks-bench-'));
const metrics = new Metrics('fmp');
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 200);
try {
  const limiter = new RateLimiter({
    callsPerMinute: flags.callsPerMinute,
    callsPerDay: null,
    maxConcurrent: flags.concurrency,
  });
  const client = new FmpClient({
    baseUrl: started.baseUrl,
    apiKey: 'bench-key',
    limiter,
    metrics,
    logger: createLogger({ minLevel: 'warn' }),
  });
  const began = performance.now();
  const [summary] = await runFmp({
    lake: openLake({ kind: 'filesystem', root, env: 'local', accountId: '123456789012' }),
    client,
    datasets: ['eod_prices'],
    symbols: started.symbols,
    from: flags.from,
    to: flags.to,
    concurrency: flags.concurrency,
    metrics,
    logger: createLogger({ minLevel: 'warn' }),
  });
  const seconds = (performance.now() - began) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const requests = metrics.get('Requests');
  const callsPerMinute = requests / (seconds / 60);
  const figures = {
    symbols: started.symbols.length,
    rows: summary?.valid ?? 0,
    seconds: Number(seconds.toFixed(1)),
    recordsPerSecond: Math.round((summary?.valid ?? 0) / seconds),
    requests,
    allowedCallsPerMinute: flags.callsPerMinute,
    achievedCallsPerMinute: Math.round(callsPerMinute),
    achievedPercentOfAllowed: Number(((callsPerMinute / flags.callsPerMinute) * 100).toFixed(1)),
    http429Received: metrics.get('RateLimited'),
    retries: metrics.get('Retries'),
    peakRssMiB: Math.round(peakRss / 1024 / 1024),
    bytesWritten: metrics.get('BytesWritten', 'eod_prices'),
  };
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
} finally {
  clearInterval(sampler);
  fake.kill('SIGTERM');
  await rm(root, { recursive: true, force: true });
}
