// ingestion-streaming: supervises the news-stream connector, a long-running service (an ECS
// service in AWS, a background process locally). Each run checks it is alive and fresh — a
// micro-batch landed in bronze within `staleAfterSeconds` — and (re)starts it when it is not.
// Scheduled every few minutes, it is the stream's watchdog.
import { join } from 'node:path';
import { getRunLogger, task } from '@finks/prefect';
import { bucketName } from '@finks/lake-paths';
import { z } from 'zod';
import { FAKE_MARKET_KEY } from '../../master-flow/fake-market';
import { bronzeManifestsSince } from '../../master-flow/lake-scan';
import { superviseNewsStreamService } from '../aws-steps';
import { correlationIdOf, correlationParameter } from '../correlation';
import { deployableFlow } from '../deployable-flow';
import { resolveTarget, targetParameters } from '../target';
import {
  isNewsStreamAlive,
  readNewsStreamProcess,
  startNewsStream,
  stopNewsStream,
} from './news-stream-process';

export const ingestionStreamingParameters = z.object({
  ...targetParameters,
  ...correlationParameter,
  staleAfterSeconds: z
    .number()
    .int()
    .min(30)
    .optional()
    .describe('restart when no news batch landed for this long (default 900)'),
  intervalSeconds: z.number().int().min(1).optional().describe('poll interval of the connector'),
  batchSeconds: z.number().int().min(1).optional().describe('micro-batch age that forces a flush'),
  fmpBaseUrl: z.string().url().optional().describe('local runs: the FMP (or fake market) base URL'),
  fakeMarket: z
    .boolean()
    .optional()
    .describe('local runs: fmpBaseUrl is the built-in fake market (send its stand-in key)'),
});
export type IngestionStreamingParameters = z.input<typeof ingestionStreamingParameters>;

export type SupervisionAction = 'healthy' | 'started' | 'restarted';
export interface SupervisionResult {
  readonly action: SupervisionAction;
  readonly reason: string;
  readonly lastBatchAt: string | null;
  readonly pid?: number;
  /** AWS: the news-stream task started. */
  readonly taskArn?: string;
}

async function lastNewsBatch(lakeRoot: string, env: string, accountId: string, since: Date) {
  const bronze = join(lakeRoot, bucketName({ env: env as 'local', zone: 'bronze', accountId }));
  const manifests = (await bronzeManifestsSince(bronze, since)).filter(
    (m) => m.source === 'fmp' && m.dataset === 'news',
  );
  const newest = manifests.map((m) => Date.parse(m.createdAt)).sort((a, b) => b - a)[0];
  return newest === undefined ? null : new Date(newest);
}

const superviseLocally = task(
  { name: 'supervise-news-stream', retries: 1, retryDelaySeconds: 5, tags: ['ingestion', 'news'] },
  async (
    params: IngestionStreamingParameters,
    correlationId: string,
  ): Promise<SupervisionResult> => {
    const target = resolveTarget(params);
    if (target.kind !== 'local') throw new Error('supervise-news-stream is the local supervisor');
    const staleMs = (params.staleAfterSeconds ?? 900) * 1000;
    const now = Date.now();
    const lastBatchAt = await lastNewsBatch(
      target.lake.root,
      target.lake.env,
      target.lake.accountId,
      new Date(now - staleMs),
    );
    const start = async (): Promise<number> => {
      const key = params.fakeMarket ? FAKE_MARKET_KEY : process.env['FMP_API_KEY'];
      const started = await startNewsStream({
        lakeRoot: target.lake.root,
        env: target.config.env,
        correlationId,
        args: [
          ...(params.intervalSeconds ? [`--interval-seconds=${params.intervalSeconds}`] : []),
          ...(params.batchSeconds ? [`--batch-seconds=${params.batchSeconds}`] : []),
        ],
        childEnv: {
          ...(key !== undefined ? { FMP_API_KEY: key } : {}),
          ...(params.fmpBaseUrl ? { FMP_BASE_URL: params.fmpBaseUrl } : {}),
        },
      });
      return started.pid;
    };
    const iso = lastBatchAt?.toISOString() ?? null;
    const state = await readNewsStreamProcess();
    if (!state || !(await isNewsStreamAlive(state))) {
      const pid = await start();
      return {
        action: 'started',
        reason: state ? 'the process had exited' : 'not running',
        lastBatchAt: iso,
        pid,
      };
    }
    // A new process gets one stale period to land its first batch.
    const graceUntil = Date.parse(state.startedAt) + staleMs;
    if (lastBatchAt === null && now < graceUntil) {
      return {
        action: 'healthy',
        reason: 'started recently; no batch due yet',
        lastBatchAt: iso,
        pid: state.pid,
      };
    }
    if (lastBatchAt === null) {
      getRunLogger().warning(
        `news-stream pid ${state.pid} landed no batch for ${staleMs / 1000} s: restarting`,
      );
      await stopNewsStream(state);
      const pid = await start();
      return {
        action: 'restarted',
        reason: `stalled: no news batch in ${staleMs / 1000} s`,
        lastBatchAt: iso,
        pid,
      };
    }
    return { action: 'healthy', reason: 'alive and fresh', lastBatchAt: iso, pid: state.pid };
  },
);

const superviseOnEcs = task(
  {
    name: 'supervise-news-stream-service',
    retries: 1,
    retryDelaySeconds: 10,
    tags: ['ingestion', 'news'],
  },
  (params: IngestionStreamingParameters, correlationId: string) =>
    superviseNewsStreamService(resolveTarget(params).config, {
      staleAfterSeconds: params.staleAfterSeconds ?? 900,
      correlationId,
    }),
);

export const ingestionStreamingFlow = deployableFlow(
  {
    name: 'ingestion-streaming',
    firstStep: 'supervise-news-stream',
    description: 'Watchdog of the news-stream connector: alive and fresh, restarted on stall',
    tags: ['ingestion', 'news'],
    parameters: ingestionStreamingParameters,
  },
  async (params: IngestionStreamingParameters): Promise<SupervisionResult> => {
    const correlationId = correlationIdOf(params);
    return resolveTarget(params).kind === 'local'
      ? superviseLocally(params, correlationId)
      : superviseOnEcs(params, correlationId);
  },
);
