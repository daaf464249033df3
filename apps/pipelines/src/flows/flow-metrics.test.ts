import { describe, expect, it } from 'vitest';
import { flowFailedEmf } from './flow-metrics';

describe('flow failure metric', () => {
  it('is an EMF document for Finks/Flows FlowRunsFailed by Environment (the alarm) and Flow', () => {
    const document = JSON.parse(flowFailedEmf('prod', 'master-flow', 'c-1', new Date(0))) as {
      _aws: { CloudWatchMetrics: unknown[] };
    } & Record<string, unknown>;
    expect(document._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Finks/Flows',
        Dimensions: [['Environment'], ['Environment', 'Flow']],
        Metrics: [{ Name: 'FlowRunsFailed', Unit: 'Count' }],
      },
    ]);
    expect(document).toMatchObject({ Environment: 'prod', Flow: 'master-flow', FlowRunsFailed: 1 });
  });
});
