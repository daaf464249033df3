// The flow-failure metric the infrastructure's `flow-runs-failed` alarm watches (namespace
// Finks/Flows, FlowRunsFailed, dimension Environment), as one CloudWatch Embedded Metric Format
// line: in AWS the worker's log driver turns its stdout into the metric, no API call needed.
export function flowFailedEmf(
  environment: string,
  flow: string,
  correlationId: string,
  now: Date = new Date(),
): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: 'Finks/Flows',
          Dimensions: [['Environment'], ['Environment', 'Flow']],
          Metrics: [{ Name: 'FlowRunsFailed', Unit: 'Count' }],
        },
      ],
    },
    Environment: environment,
    Flow: flow,
    FlowRunsFailed: 1,
    correlation_id: correlationId,
  });
}
