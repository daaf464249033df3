export const METRIC_NAMES = [
  'RecordsRead',
  'RecordsValid',
  'RecordsQuarantined',
  'Requests',
  'Retries',
  'RateLimited',
  'BytesWritten',
  'RequestsFailed',
  // A dataset's plan (fmp, mongodb) or a news micro-batch committed over the error budget on its
  // last attempt.
  'ErrorBudgetExceeded',
  // A connector run that failed (exit 1): the infrastructure's "ingestion batches failed" alarm.
  'BatchesFailed',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** Counters for one connector run, emitted in CloudWatch Embedded Metric Format. */
export class Metrics {
  private readonly values = new Map<string, Record<MetricName, number>>();

  /**
   * `environment` becomes the `Environment` dimension the infrastructure's alarms select on
   * (e.g. RecordsQuarantined ≥ 1 for the env); each metric is also kept per connector and dataset.
   */
  constructor(
    readonly connector: string,
    readonly environment = 'local',
  ) {}

  add(name: MetricName, value = 1, dataset = 'all'): void {
    let row = this.values.get(dataset);
    if (row === undefined) {
      row = Object.fromEntries(METRIC_NAMES.map((metric) => [metric, 0])) as Record<
        MetricName,
        number
      >;
      this.values.set(dataset, row);
    }
    row[name] += value;
  }

  get(name: MetricName, dataset = 'all'): number {
    return this.values.get(dataset)?.[name] ?? 0;
  }

  /**
   * One EMF document per dataset
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html);
   * the CloudWatch agent or Lambda/ECS log driver turns the lines into metrics.
   */
  toEmf(correlationId: string, now: Date = new Date()): string[] {
    return [...this.values.entries()].map(([dataset, row]) =>
      JSON.stringify({
        _aws: {
          Timestamp: now.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: 'Finks/Ingestion',
              Dimensions: [['Environment'], ['Environment', 'Connector', 'Dataset']],
              Metrics: METRIC_NAMES.map((name) => ({
                Name: name,
                Unit: name === 'BytesWritten' ? 'Bytes' : 'Count',
              })),
            },
          ],
        },
        Environment: this.environment,
        Connector: this.connector,
        Dataset: dataset,
        correlation_id: correlationId,
        ...row,
      }),
    );
  }
}
