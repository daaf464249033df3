// `master-flow --json` prints the result on stdout: its progress lines must go elsewhere.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleProgress, progressWriter } from './progress';

afterEach(() => {
  vi.restoreAllMocks();
});

function captureConsole() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => err.push(line));
  return { out, err };
}

describe('progressWriter', () => {
  it('writes progress to stderr with --json, leaving stdout to the JSON result', () => {
    const { out, err } = captureConsole();
    const progress = consoleProgress(['sources'], progressWriter(true));
    progress.stage('sources');
    progress.note('lake /tmp/lake');
    expect(out).toEqual([]);
    expect(err).toHaveLength(2);
    expect(err[1]).toContain('lake /tmp/lake');
  });

  it('writes progress to stdout for a person', () => {
    const { out, err } = captureConsole();
    consoleProgress(['sources'], progressWriter(false)).note('lake /tmp/lake');
    expect(err).toEqual([]);
    expect(out[0]).toContain('lake /tmp/lake');
  });
});
