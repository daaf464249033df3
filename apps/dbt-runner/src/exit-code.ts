import type { RunSummary } from './dbt/run-results';

/** The runner's exit codes, which ECS and the orchestrator see. */
export const EXIT_CODES = {
  ok: 0,
  /** A model, test, snapshot or unit test failed; dbt itself ran fine. */
  nodesFailed: 1,
  /** dbt could not run (compile error, bad profile, crash) or left no run_results.json. */
  dbtError: 2,
  /** Started with `--hold` and never told to run (no `go` on stdin): nothing was built. */
  notReleased: 3,
  /** The runner was called wrongly (unknown env, bad --vars). */
  usage: 64,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Maps dbt's own exit code and the parsed run_results to the runner's exit code. */
export function exitCodeFor(dbtExitCode: number, summary: RunSummary | undefined): ExitCode {
  if (summary && !summary.ok) return EXIT_CODES.nodesFailed;
  if (dbtExitCode === 0) return EXIT_CODES.ok;
  if (dbtExitCode === 1 && summary) return EXIT_CODES.nodesFailed;
  return EXIT_CODES.dbtError;
}

/**
 * One line for the log and the orchestrator: what failed, or that all passed, and which tests
 * warned (a warning is a data-quality finding someone must read, e.g. an unpriced holding, and
 * the exit code alone would hide it).
 */
export function exitMessage(exitCode: ExitCode, summary: RunSummary | undefined): string {
  if (exitCode === EXIT_CODES.ok) {
    if (!summary) return 'dbt finished';
    const warned = summary.nodes.filter((node) => node.status === 'warn');
    const warnings = warned.map(
      (node) =>
        `${node.resourceType} ${node.name}${node.failures === null ? '' : ` (${node.failures} rows)`}`,
    );
    return (
      `dbt finished: ${summary.nodes.length} nodes ok` +
      (warned.length > 0 ? `, ${warned.length} warned: ${warnings.join(', ')}` : '')
    );
  }
  if (exitCode === EXIT_CODES.nodesFailed && summary) {
    const names = summary.failed.map(
      (node) => `${node.resourceType} ${node.name} (${node.status})`,
    );
    return `dbt failed: ${summary.failed.length} node(s) failed: ${names.join(', ')}`;
  }
  if (exitCode === EXIT_CODES.notReleased) {
    return 'dbt was held (--hold) and never told to run: no "go" on stdin, nothing was built';
  }
  return 'dbt failed before producing results (see its log above)';
}
