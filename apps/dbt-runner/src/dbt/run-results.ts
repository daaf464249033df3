import { z } from 'zod';
import { DbtRunnerError } from '../errors/dbt-runner-error';

// The parts of dbt's run_results.json (schema v6) the runner reports on.
const resultSchema = z.object({
  unique_id: z.string(),
  status: z.string(),
  execution_time: z.number(),
  message: z.string().nullable().optional(),
  failures: z.number().nullable().optional(),
  adapter_response: z.record(z.string(), z.unknown()).optional(),
});

const runResultsSchema = z.object({
  metadata: z.object({
    dbt_schema_version: z.string(),
    dbt_version: z.string(),
    generated_at: z.string(),
    invocation_id: z.string(),
  }),
  results: z.array(resultSchema),
  elapsed_time: z.number(),
  args: z.record(z.string(), z.unknown()).optional(),
});

export type NodeStatus =
  'success' | 'pass' | 'error' | 'fail' | 'warn' | 'skipped' | 'no-op' | 'runtime error';

export interface NodeSummary {
  readonly uniqueId: string;
  /** model, test, unit_test, snapshot, seed, source, … (the unique_id's first part). */
  readonly resourceType: string;
  readonly name: string;
  readonly status: string;
  readonly rowsAffected: number | null;
  readonly seconds: number;
  readonly failures: number | null;
  readonly message: string | null;
}

export interface RunSummary {
  readonly invocationId: string;
  readonly dbtVersion: string;
  readonly generatedAt: string;
  readonly elapsedSeconds: number;
  readonly nodes: readonly NodeSummary[];
  readonly counts: Readonly<Record<string, number>>;
  /** No node errored or failed (warnings and skips of nothing-to-do are fine). */
  readonly ok: boolean;
  readonly failed: readonly NodeSummary[];
}

const FAILED_STATUSES = new Set(['error', 'fail', 'runtime error']);

/** Turns run_results.json text into the orchestrator's summary. */
export function summarizeRunResults(json: string): RunSummary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new DbtRunnerError(
      'invalid_run_results',
      'run_results.json is not JSON',
      {},
      { cause: error },
    );
  }
  const result = runResultsSchema.safeParse(parsed);
  if (!result.success) {
    throw new DbtRunnerError(
      'invalid_run_results',
      `run_results.json has an unexpected shape: ${result.error.message}`,
      {
        issues: result.error.issues,
      },
    );
  }
  const runResults = result.data;
  const nodes = runResults.results.map((node): NodeSummary => {
    const parts = node.unique_id.split('.');
    const rows = node.adapter_response?.['rows_affected'];
    return {
      uniqueId: node.unique_id,
      resourceType: parts[0] ?? 'unknown',
      name: parts.slice(2).join('.') || node.unique_id,
      status: node.status,
      rowsAffected: typeof rows === 'number' ? rows : null,
      seconds: node.execution_time,
      failures: node.failures ?? null,
      message: node.message ?? null,
    };
  });
  const counts: Record<string, number> = {};
  for (const node of nodes) counts[node.status] = (counts[node.status] ?? 0) + 1;
  const failed = nodes.filter((node) => FAILED_STATUSES.has(node.status));
  return {
    invocationId: runResults.metadata.invocation_id,
    dbtVersion: runResults.metadata.dbt_version,
    generatedAt: runResults.metadata.generated_at,
    elapsedSeconds: runResults.elapsed_time,
    nodes,
    counts,
    ok: failed.length === 0,
    failed,
  };
}

/** A fixed-width table: one line per node, slowest first, then the counts. */
export function formatSummaryTable(summary: RunSummary): string {
  const rows = [...summary.nodes].sort((a, b) => b.seconds - a.seconds);
  const header = ['status', 'type', 'node', 'rows', 'seconds'];
  const body = rows.map((node) => [
    node.status,
    node.resourceType,
    node.name,
    node.rowsAffected === null ? '' : String(node.rowsAffected),
    node.seconds.toFixed(2),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...body.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i >= 3 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ');
  const counts = Object.entries(summary.counts)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  return [
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...body.map(line),
    '',
    `${summary.nodes.length} nodes in ${summary.elapsedSeconds.toFixed(1)} s: ${counts || 'nothing ran'}`,
  ].join('\n');
}
