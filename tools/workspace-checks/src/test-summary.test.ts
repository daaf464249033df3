import { describe, expect, it } from 'vitest';
import { summarise, tallyJunitXml, tallyVitestJson } from './test-summary';

const vitest = (passed: number, failed: number, pending = 0, failedSuites = 0) =>
  JSON.stringify({
    numPassedTests: passed,
    numFailedTests: failed,
    numPendingTests: pending,
    numTodoTests: 0,
    numFailedTestSuites: failedSuites,
  });

describe('test summary', () => {
  it('reads vitest JSON, counting a suite that failed to load as a failure', () => {
    expect(tallyVitestJson(vitest(3, 1, 2))).toEqual({ passed: 3, failed: 1, skipped: 2 });
    expect(tallyVitestJson(vitest(3, 0, 0, 1))).toEqual({ passed: 3, failed: 1, skipped: 0 });
  });

  it('reads pytest JUnit XML, errors included', () => {
    const xml =
      '<testsuites><testsuite name="pytest" errors="1" failures="2" skipped="1" tests="10" time="1">' +
      '</testsuite></testsuites>';
    expect(tallyJunitXml(xml)).toEqual({ passed: 6, failed: 3, skipped: 1 });
  });

  it('ends with the plain `N passed, N failed` line over all projects', () => {
    const summary = summarise(
      new Map([
        ['a.json', vitest(2, 0)],
        ['b.json', vitest(5, 1, 1)],
      ]),
      ['a', 'b'],
    );
    expect(summary.lines.at(-1)).toBe('7 passed, 1 failed, 1 skipped');
    expect(summary.ok).toBe(false);
  });

  it('counts an expected project without results as failed', () => {
    const summary = summarise(new Map([['a.json', vitest(2, 0)]]), ['a', 'missing']);
    expect(summary.lines).toContain(
      '  missing: no test results (its runner did not finish): counted as 1 failed',
    );
    expect(summary.total.failed).toBe(1);
    expect(summary.ok).toBe(false);
  });

  it('does not call a run without tests a success', () => {
    expect(summarise(new Map(), []).ok).toBe(false);
  });
});
