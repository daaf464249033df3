import { describe, expect, it } from 'vitest';
import { runSourcesWithPolicy, SourcesFailedError } from './sources';

const ok = (step: string, seen: string[]) => ({
  step,
  run: async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    seen.push(step);
  },
});
const broken = (step: string, why: string) => ({
  step,
  run: () => Promise.reject(new Error(why)),
});

describe('the sources stage failure policy', () => {
  it('continue: the other sources finish and the failure is reported', async () => {
    const seen: string[] = [];
    const failures = await runSourcesWithPolicy(
      [broken('ingestion-mongodb', 'connection refused'), ok('ingestion-fmp', seen)],
      'continue',
    );
    expect(seen).toEqual(['ingestion-fmp']);
    expect(failures).toEqual([{ step: 'ingestion-mongodb', error: 'connection refused' }]);
  });

  it('fail: one failure fails the stage, after the others finished', async () => {
    const seen: string[] = [];
    const run = runSourcesWithPolicy(
      [broken('ingestion-fmp', 'HTTP 402'), ok('ingestion-mongodb', seen)],
      'fail',
    );
    await expect(run).rejects.toThrow(
      /sources failed: ingestion-fmp: HTTP 402 \(onSourceFailure is "fail"\)/,
    );
    expect(seen).toEqual(['ingestion-mongodb']);
  });

  it('every source failing fails the stage whatever the policy', async () => {
    const error = await runSourcesWithPolicy(
      [broken('a', 'x'), broken('b', 'y')],
      'continue',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourcesFailedError);
    expect((error as SourcesFailedError).failures.map((f) => f.step)).toEqual(['a', 'b']);
    expect((error as Error).message).toMatch(/every source failed/);
  });

  it('no failure: nothing to report', async () => {
    expect(await runSourcesWithPolicy([ok('a', []), ok('b', [])])).toEqual([]);
  });
});
