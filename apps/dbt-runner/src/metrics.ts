import type { RunSummary } from './dbt/run-results';

/**
 * One CloudWatch Embedded Metric Format line per run: the ECS task's log group turns it into
 * metrics (namespace Finks/dbt) without an SDK call; locally it is just a JSON log line.
 */
export function runMetricsLine(
  summary: RunSummary,
  dimensions: Readonly<Record<string, string>>,
): string {
  const count = (status: string) => summary.counts[status] ?? 0;
  const metrics = {
    DurationSeconds: summary.elapsedSeconds,
    NodesSucceeded: count('success') + count('pass'),
    NodesFailed: summary.failed.length,
    NodesWarned: count('warn'),
    NodesSkipped: count('skipped'),
  };
  return JSON.stringify({
    _aws: {
      Timestamp: Date.parse(summary.generatedAt) || Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: 'Finks/dbt',
          Dimensions: [Object.keys(dimensions)],
          Metrics: Object.keys(metrics).map((name) => ({
            Name: name,
            Unit: name === 'DurationSeconds' ? 'Seconds' : 'Count',
          })),
        },
      ],
    },
    ...dimensions,
    invocationId: summary.invocationId,
    ...metrics,
  });
}
