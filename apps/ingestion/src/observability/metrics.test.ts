import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics';

describe('EMF metrics', () => {
  it('carries the Environment dimension the alarms select on, and the per-dataset one', () => {
    const metrics = new Metrics('fmp', 'staging');
    metrics.add('RecordsQuarantined', 3, 'eod_prices');
    metrics.add('RecordsRead', 10, 'eod_prices');
    const [line] = metrics.toEmf('corr-1', new Date('2026-11-26T00:00:00Z'));
    const document = JSON.parse(line ?? '{}') as Record<string, unknown> & {
      _aws: {
        Timestamp: number;
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[];
      };
    };
    expect(document._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Finks/Ingestion',
      Dimensions: [['Environment'], ['Environment', 'Connector', 'Dataset']],
    });
    expect(document).toMatchObject({
      Environment: 'staging',
      Connector: 'fmp',
      Dataset: 'eod_prices',
      RecordsQuarantined: 3,
      RecordsRead: 10,
      correlation_id: 'corr-1',
    });
  });
});
