// The bronze-to-silver command follows the flow's rule (batchSelectionProblem): a backfill needs
// its dates, and `--batches pending` without dates cleanses the catch-up window.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { batchSelectionProblem } from './bronze-to-silver';
import { catchUpDates } from './catch-up-window';
import { bronzeToSilverCommand } from './cli';
import { bronzeLine, writeBronzeRun } from './testing/bronze-fixture';

const RUN = '20261127T010000Z-clitd1';
let lakeRoot: string;

beforeEach(async () => {
  lakeRoot = join(await mkdtemp(join(tmpdir(), 'finks-b2s-cli-')), 'lake');
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(join(lakeRoot, '..'), { recursive: true, force: true });
});

/** Runs the command with `args`; what it printed on stdout and stderr, or the error it ended with. */
async function runCommand(args: readonly string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  const command = bronzeToSilverCommand()
    .exitOverride()
    .configureOutput({ writeErr: (text) => stderr.push(text) });
  const error = await command
    .parseAsync(['--lake-root', lakeRoot, '--datasets', 'fmp.eod_prices', ...args], {
      from: 'user',
    })
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  return { stdout: stdout.join(''), stderr: stderr.join(''), error };
}

describe('bronze-to-silver command', () => {
  it('refuses a backfill without dates, with the words of the rule, exit code 2', async () => {
    const { error, stderr } = await runCommand(['--run-id', RUN]);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).toBe(2);
    expect(stderr).toContain(batchSelectionProblem('all', []));
  });

  it('refuses a --run-id that is not a lake run id, exit code 2, before reading the lake', async () => {
    const { error, stderr } = await runCommand([
      '--run-id',
      'x/../dataset=eod_prices',
      '--dates',
      '2026-11-24',
    ]);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).toBe(2);
    expect(stderr).toContain('--run-id "x/../dataset=eod_prices" is not a run id (expected');
  });

  it('cleanses the catch-up window with --batches pending and no dates', async () => {
    const today = new Date().toISOString().slice(0, 10);
    await writeBronzeRun(lakeRoot, 'fmp', 'eod_prices', today, RUN, [
      bronzeLine('fmp', 'eod_prices', RUN, `${today}T01:00:00.000Z`, 0, {
        symbol: 'AAPL',
        date: today,
        open: 10,
        high: 12,
        low: 9,
        close: 11,
        volume: 100,
      }),
    ]);
    const { error, stdout } = await runCommand(['--run-id', RUN, '--batches', 'pending']);
    expect(error).toBeUndefined();
    const summary = JSON.parse(stdout.trim()) as Record<string, unknown>;
    expect(summary).toMatchObject({
      dataset: 'fmp.eod_prices',
      dates: catchUpDates(new Date()),
      bronzeBatches: 1,
      valid: 1,
      silverPartitions: [today],
    });
  });
});
