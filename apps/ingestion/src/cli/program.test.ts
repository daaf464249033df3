import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './program';

async function parse(
  args: string[],
): Promise<{ error: CommanderError | undefined; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = buildProgram({
    writeOut: (text) => (out += text),
    writeErr: (text) => (err += text),
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { error: undefined, out, err };
  } catch (error) {
    if (error instanceof CommanderError) return { error, out, err };
    throw error;
  }
}

describe('CLI flags', () => {
  it.each([
    [['fmp', '--symbols', 'AAPL', '--from', '2025-02-30'], '--from'],
    [['fmp', '--symbols', 'AAPL', '--to', 'yesterday'], '--to'],
    [['fmp', '--symbols', 'AAPL', '--datasets', 'eod_prices,options'], '--datasets'],
    [['fmp', '--symbols', 'AAPL', '--error-budget', '150'], '--error-budget'],
    [['fmp', '--symbols', 'AAPL', '--period', 'monthly'], '--period'],
    [['fmp', '--symbols', 'AAPL', '--from', '2025-03-01', '--to', '2025-01-01'], '--from'],
    [
      ['fmp', '--symbols', 'AAPL', '--universe-file', '/nonexistent/universe.txt'],
      '--universe-file',
    ],
    [['fmp'], '--symbols'],
    [['fmp', '--symbols', 'NOT A TICKER'], '--symbols'],
    [['mongodb', '--batch-size', '0'], '--batch-size'],
    [['mongodb', '--collections', 'users'], '--collections'],
    [['news-stream', '--batch-seconds', '-1'], '--batch-seconds'],
    [['news-stream', '--lake', 'ftp'], '--lake'],
    [['fmp', '--bogus'], '--bogus'],
  ])('rejects %j naming %s', async (args, flag) => {
    const { error, err } = await parse(args);
    expect(error?.exitCode).not.toBe(0);
    expect(`${err}${error?.message ?? ''}`).toContain(flag);
  });

  it.each(['fmp', 'mongodb', 'news-stream'])('prints help for %s', async (command) => {
    const { error, out } = await parse([command, '--help']);
    expect(error?.exitCode).toBe(0);
    expect(out).toContain('--lake <target>');
    expect(out).toContain('--dry-run');
    expect(out).toContain('--error-budget <percent>');
  });
});
