import { fmpNews } from '@finks/contracts';
import { partitionDate, runId as newRunId } from '@finks/lake-paths';
import { FmpRequestError } from '../errors';
import type { FmpClient } from '../fmp/fmp-client';
import { sleep } from '../fmp/retry';
import { BronzeRun, type BronzeRunSummary } from '../lake/bronze-run';
import type { Lake } from '../lake/lake-target';
import { silentLogger, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { RunState } from '../state/run-state';

export interface NewsStreamOptions {
  readonly lake: Lake;
  readonly client: FmpClient;
  /** Poll interval. */
  readonly intervalMs?: number;
  /** Flush a micro-batch at this many records… */
  readonly batchRecords?: number;
  /** …or when its oldest record has waited this long, whichever comes first. */
  readonly batchMs?: number;
  readonly pageSize?: number;
  /** Pages read per poll at most (new articles rarely fill more than the first). */
  readonly maxPages?: number;
  readonly errorBudget?: number;
  /** Stop (flushing first) when this aborts: SIGTERM in the CLI. */
  readonly signal: AbortSignal;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

interface Accepted {
  readonly raw: unknown;
  readonly fetchedAt: Date;
  readonly offset: string;
}

const ENDPOINT = 'news/stock-latest';
const STREAM_CURSOR = 'stream:stock-latest';

/**
 * Follows FMP's latest stock news. Articles are deduplicated by URL + published time, buffered,
 * and written as one manifested bronze batch per micro-batch. On abort the buffer is flushed
 * before returning, so an accepted article is never lost.
 */
export async function runNewsStream(options: NewsStreamOptions): Promise<BronzeRunSummary[]> {
  const logger = (options.logger ?? silentLogger).child({ connector: 'news-stream' });
  const ref = { source: 'fmp', dataset: fmpNews.dataset };
  const state = new RunState(options.lake, ref);
  // Articles at or before the last committed one were stored by an earlier process. Within this
  // process `seen` dedups, because a poll can return older unseen articles after newer ones.
  const startCursor = (await state.bookmarks()).cursors[STREAM_CURSOR] ?? '';
  let cursor = startCursor;
  const seen = new Set<string>();
  const seenOrder: string[] = [];
  let buffer: Accepted[] = [];
  let batchStarted = 0;
  const summaries: BronzeRunSummary[] = [];
  const batchRecords = options.batchRecords ?? 500;
  const batchMs = options.batchMs ?? 60_000;

  const flush = async () => {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    const started = new Date();
    const runId = newRunId(started);
    const run = new BronzeRun({
      lake: options.lake,
      contract: fmpNews,
      runId,
      dt: partitionDate(started),
      errorBudget: options.errorBudget ?? 0.05,
      onBytesWritten: (bytes) => options.metrics?.add('BytesWritten', bytes, 'news'),
    });
    let newest = cursor;
    for (const item of batch) {
      await run.accept(item.raw, {
        endpoint: ENDPOINT,
        request: {},
        fetchedAt: item.fetchedAt,
        sourceOffset: item.offset,
      });
      const published = publishedOf(item.raw);
      if (published !== undefined && published > newest) newest = published;
    }
    const summary = await run.commit(newest === '' ? {} : { [STREAM_CURSOR]: newest });
    if (newest !== '') await state.complete(runId, { [STREAM_CURSOR]: newest }, false);
    cursor = newest;
    options.metrics?.add('RecordsRead', summary.read, 'news');
    options.metrics?.add('RecordsValid', summary.valid, 'news');
    options.metrics?.add('RecordsQuarantined', summary.quarantined, 'news');
    logger.log('info', 'micro-batch committed', { ...summary });
    summaries.push(summary);
  };

  const remember = (key: string) => {
    seen.add(key);
    seenOrder.push(key);
    // Bounded memory for a process that runs for weeks; old keys are below the cursor anyway.
    if (seenOrder.length > 100_000) seen.delete(seenOrder.shift() ?? '');
  };

  while (!options.signal.aborted) {
    try {
      for (let page = 0; page < (options.maxPages ?? 5); page++) {
        const response = await options.client.get(
          ENDPOINT,
          { page: String(page), limit: String(options.pageSize ?? 100) },
          // Not aborted by SIGTERM: a poll in flight finishes, so what FMP served is kept.
        );
        let fresh = 0;
        for (const [index, raw] of response.rows.entries()) {
          const published = publishedOf(raw) ?? '';
          const key = `${urlOf(raw)}|${published}`;
          if (seen.has(key) || (published !== '' && published <= startCursor)) continue;
          remember(key);
          fresh++;
          if (buffer.length === 0) batchStarted = Date.now();
          buffer.push({
            raw,
            fetchedAt: response.fetchedAt,
            offset: `${ENDPOINT}?page=${page}#${index}`,
          });
          if (buffer.length >= batchRecords) await flush();
        }
        // A page with nothing new means the rest is older still.
        if (fresh < response.rows.length || response.rows.length === 0) break;
      }
    } catch (error) {
      if (options.signal.aborted) break;
      if (error instanceof FmpRequestError && !error.retryable) throw error;
      logger.log('warn', 'poll failed; trying again next interval', {
        reason: (error as Error).message,
      });
    }
    if (buffer.length > 0 && Date.now() - batchStarted >= batchMs) await flush();
    try {
      const untilDeadline = buffer.length > 0 ? batchMs - (Date.now() - batchStarted) : Infinity;
      await sleep(
        Math.max(0, Math.min(options.intervalMs ?? 60_000, untilDeadline)),
        options.signal,
      );
    } catch {
      break;
    }
  }
  await flush();
  logger.log('info', 'news stream stopped', { batches: summaries.length });
  return summaries;
}

function publishedOf(raw: unknown): string | undefined {
  const value =
    raw !== null && typeof raw === 'object'
      ? (raw as Record<string, unknown>)['publishedDate']
      : undefined;
  return typeof value === 'string' ? value : undefined;
}

function urlOf(raw: unknown): string {
  const value =
    raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['url'] : undefined;
  return typeof value === 'string' ? value : JSON.stringify(raw);
}
