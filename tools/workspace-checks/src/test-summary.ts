// Adds up the results every test runner left in .finks/test-results (vitest JSON per Nx project,
// JUnit XML from pytest) into per-project lines and the closing `N passed, N failed`.
// A project that was expected to report and did not counts as a failure: a runner that died
// before writing results must not look like an empty success.

export interface Tally {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
}

export function tallyVitestJson(text: string): Tally {
  const json = JSON.parse(text) as VitestJson;
  return {
    passed: json.numPassedTests,
    // A suite that failed to load (syntax error, failed hook) has no failed test of its own.
    failed: json.numFailedTests + (json.numFailedTests === 0 ? json.numFailedTestSuites : 0),
    skipped: json.numPendingTests + json.numTodoTests,
  };
}

export function tallyJunitXml(xml: string): Tally {
  const sum = (attribute: string) =>
    [...xml.matchAll(new RegExp(`<testsuite\\b[^>]*?\\b${attribute}="(\\d+)"`, 'g'))].reduce(
      (total, match) => total + Number(match[1]),
      0,
    );
  const failed = sum('failures') + sum('errors');
  const skipped = sum('skipped');
  return { passed: sum('tests') - failed - skipped, failed, skipped };
}

export interface Summary {
  readonly lines: readonly string[];
  readonly total: Tally;
  readonly ok: boolean;
}

/** `results` maps a result file name (`<project>.json` or `<suite>.xml`) to its text. */
export function summarise(
  results: ReadonlyMap<string, string>,
  expected: readonly string[],
): Summary {
  const lines: string[] = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const reported = new Set<string>();
  for (const [file, text] of [...results].sort(([a], [b]) => a.localeCompare(b))) {
    const name = file.replace(/\.(json|xml)$/, '');
    const tally = file.endsWith('.xml') ? tallyJunitXml(text) : tallyVitestJson(text);
    reported.add(name);
    lines.push(
      `  ${name}: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`,
    );
    passed += tally.passed;
    failed += tally.failed;
    skipped += tally.skipped;
  }
  for (const name of expected.filter((n) => !reported.has(n))) {
    lines.push(`  ${name}: no test results (its runner did not finish): counted as 1 failed`);
    failed += 1;
  }
  lines.push(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return { lines, total: { passed, failed, skipped }, ok: failed === 0 && passed > 0 };
}
