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
    [['mongodb', '--settle-seconds', '-1'], '--settle-seconds'],
    [['mongodb', '--settle-seconds', 'soon'], '--settle-seconds'],
    [['news-stream', '--batch-seconds', '-1'], '--batch-seconds'],
    [['news-stream', '--lake', 'ftp'], '--lake'],
    [['fmp', '--bogus'], '--bogus'],
  ])('rejects %j naming %s', async (args, flag) => {
    const { error, err } = await parse(args);
    expect(error?.exitCode).not.toBe(0);
    expect(`${err}${error?.message ?? ''}`).toContain(flag);
  });

  it.each([
    ['fmp', true],
    ['mongodb', true],
    ['news-stream', false],
  ])('prints help for %s (--dry-run offered: %s)', async (command, dryRun) => {
    const { error, out } = await parse([command, '--help']);
    expect(error?.exitCode).toBe(0);
    expect(out).toContain('--lake <target>');
    expect(out.includes('--dry-run')).toBe(dryRun);
    expect(out).toContain('--error-budget <percent>');
    expect(out).toContain('--part-size <records>');
  });

  it('refuses news-stream --dry-run with exit 2, saying why, before touching the lake', async () => {
    const { error } = await parse(['news-stream', '--dry-run', '--lake-root', '/nonexistent']);
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain("news-stream does not take '--dry-run'");
    expect(error?.message).toContain('write-ahead log');
  });
});
