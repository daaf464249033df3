// The built-in fake FMP market (apps/ingestion's fake-fmp command), started as a child process
// for the length of a local run, when no real FMP key is configured.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { appEntryPoints, tsxBin } from './app-commands';
import { StepFailedError } from './step-failed-error';

export interface RunningFakeMarket {
  readonly baseUrl: string;
  readonly symbols: readonly string[];
  readonly apiKey: string;
  stop(): Promise<void>;
}

export interface FakeMarketOptions {
  readonly symbols: number;
  readonly historyStart: string;
  readonly asOf: string;
  readonly seed?: number;
}

const STARTUP_TIMEOUT_MS = 60_000;

// The fake accepts exactly this key; it is not a secret, only a stand-in the connector sends.
export const FAKE_MARKET_KEY = 'fake-market-key';

export function startFakeMarket(options: FakeMarketOptions): Promise<RunningFakeMarket> {
  const apiKey = FAKE_MARKET_KEY;
  const child = spawn(
    tsxBin,
    [
      appEntryPoints.fakeFmp,
      '--port=0',
      `--symbols=${options.symbols}`,
      `--seed=${options.seed ?? 42}`,
      `--history-start=${options.historyStart}`,
      `--as-of=${options.asOf}`,
      // The run reads the lake, not the market's served-row statistics (a set of every row id).
      '--no-track-rows',
    ],
    { env: { ...process.env, FMP_API_KEY: apiKey }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const stop = () =>
    new Promise<void>((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
      child.once('close', () => resolveStop());
      child.kill('SIGTERM');
    });

  return new Promise((resolvePromise, reject) => {
    const fail = (reason: string) => {
      void stop();
      reject(new StepFailedError('fake FMP market', reason, stderr.split('\n').slice(-10)));
    };
    const timer = setTimeout(() => fail('did not start within 60 s'), STARTUP_TIMEOUT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      fail(`exited with code ${code} before it was ready`);
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const ready = JSON.parse(line) as { baseUrl: string; symbols: string[] };
      child.removeAllListeners('close');
      resolvePromise({ baseUrl: ready.baseUrl, symbols: ready.symbols, apiKey, stop });
    });
  });
}
