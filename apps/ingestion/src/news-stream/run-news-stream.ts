import { fmpNews } from '@finks/contracts';
import { partitionDate, runId as newRunId } from '@finks/lake-paths';
import { ErrorBudgetError, FmpRequestError } from '../errors';
import type { FmpClient } from '../fmp/fmp-client';
import { sleep } from '../fmp/retry';
import { BronzeRun, getManifest, type BronzeRunSummary } from '../lake/bronze-run';
import { bronzeManifestKey } from '../lake/keys';
import type { Lake } from '../lake/lake-target';
import { silentLogger, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import {
  StreamStore,
  advanceCursor,
  isBeyondCursor,
  publishedTimeOf,
  type PendingBatch,
} from './stream-state';

const REF = { source: 'fmp', dataset: fmpNews.dataset } as const;

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
  /** Records per bronze object (default 50,000: one object per micro-batch). */
  readonly partMaxRecords?: number;
  /**
   * Commits a micro-batch may begin. A batch over the error budget stops the stream (exit 1,
   * code error_budget) and the next start commits it again; on the last attempt it is committed
   * over the budget — its invalid articles are in quarantine — with an `error` line, so one bad
   * burst from FMP cannot halt the stream for good. Default 3.
   */
  readonly maxBatchAttempts?: number;
  /** Stop (flushing first) when this aborts: SIGTERM in the CLI. */
  readonly signal: AbortSignal;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

interface Accepted {
  readonly raw: unknown;
  readonly fetchedAt: Date;
  readonly offset: string;
  /** The write-ahead segment holding it. */
  readonly seq: number;
}

const ENDPOINT = 'news/stock-latest';
const STREAM_CURSOR = 'stream:stock-latest';

/**
 * Follows FMP's latest stock news. Articles are deduplicated by URL + published time, spooled to
 * a write-ahead log in the lake's state area, buffered, and written as one manifested bronze
 * batch per micro-batch. An accepted article is never lost: SIGTERM flushes the buffer, and after
 * a SIGKILL the next start commits whatever the log still holds.
 */
export async function runNewsStream(options: NewsStreamOptions): Promise<BronzeRunSummary[]> {
  const logger = (options.logger ?? silentLogger).child({ connector: 'news-stream' });
  const store = new StreamStore(options.lake);
  const summaries: BronzeRunSummary[] = [];
  const batchRecords = options.batchRecords ?? 500;
  const batchMs = options.batchMs ?? 60_000;
  let state = await store.state();
  let buffer: Accepted[] = [];
  let batchStarted = 0;

  /** Commits `batch` (whole write-ahead segments) as one bronze batch, then moves the cursor. */
  const commit = async (batch: readonly Accepted[], planned?: PendingBatch) => {
    const walThrough = Math.max(...batch.map((item) => item.seq));
    const started = new Date();
    const pending: PendingBatch = planned ?? {
      runId: newRunId(started),
      dt: partitionDate(started),
      walThrough,
      next: {
        cursor: advanceCursor(
          state.cursor,
          batch.map((item) => ({ published: publishedTimeOf(item.raw), url: urlOf(item.raw) })),
        ),
        walThrough,
      },
    };
    const attempt = (pending.attempts ?? 0) + 1;
    const maxAttempts = options.maxBatchAttempts ?? 3;
    const lastAttempt = attempt >= maxAttempts;
    const budget = options.errorBudget ?? 0.05;
    // Counted before the commit begins, so a process the budget (or a kill) stops still counts.
    await store.setPending({ ...pending, attempts: attempt });
    const run = new BronzeRun({
      correlationId: logger.correlationId,
      lake: options.lake,
      contract: fmpNews,
      runId: pending.runId,
      dt: pending.dt,
      errorBudget: lastAttempt ? 1 : budget,
      attempt: { attempt, maxAttempts, unit: 'micro-batch' },
      ...(options.partMaxRecords === undefined ? {} : { partMaxRecords: options.partMaxRecords }),
      onBytesWritten: (bytes) => options.metrics?.add('BytesWritten', bytes, 'news'),
    });
    for (const item of batch) {
      await run.accept(item.raw, {
        endpoint: ENDPOINT,
        request: {},
        fetchedAt: item.fetchedAt,
        sourceOffset: item.offset,
      });
    }
    const published = pending.next.cursor.published;
    let summary: BronzeRunSummary;
    try {
      summary = await run.commit(published === null ? {} : { [STREAM_CURSOR]: published });
    } catch (error) {
      if (error instanceof ErrorBudgetError) {
        logger.log('error', 'micro-batch over the error budget: the stream stops', {
          run_id: pending.runId,
          attempt,
          max_batch_attempts: maxAttempts,
          reason: error.message,
          next:
            attempt + 1 >= maxAttempts
              ? 'the next start commits it over the budget (its invalid articles stay in quarantine)'
              : `the next start commits it again (attempt ${attempt + 1} of ${maxAttempts})`,
        });
      }
      throw error;
    }
    if (lastAttempt && summary.read > 0 && summary.quarantined / summary.read > budget) {
      options.metrics?.add('ErrorBudgetExceeded', 1, 'news');
      logger.log(
        'error',
        `micro-batch committed over the error budget on its last attempt: ${summary.quarantined} of ${summary.read} articles invalid (budget ${budget * 100} %); they are in quarantine with their reasons`,
        { run_id: pending.runId, attempt, quarantined: summary.quarantined, read: summary.read },
      );
    }
    await finish(pending, new Set(batch.map((item) => item.seq)));
    options.metrics?.add('RecordsRead', summary.read, 'news');
    options.metrics?.add('RecordsValid', summary.valid, 'news');
    options.metrics?.add('RecordsQuarantined', summary.quarantined, 'news');
    logger.log('info', 'micro-batch committed', { ...summary });
    summaries.push(summary);
  };

  /** After the batch's manifest is stored: move the cursor, then drop what the log held for it. */
  const finish = async (pending: PendingBatch, seqs: Iterable<number>) => {
    await store.saveState(pending.next);
    state = pending.next;
    await store.clearPending();
    await store.dropSegments(seqs);
  };

  // What a killed process left: a batch mid-commit, then spooled articles not yet committed.
  const segments = await store.segments();
  const spooled: Accepted[] = segments.flatMap((segment) =>
    segment.articles.map((article) => ({
      raw: article.raw,
      fetchedAt: new Date(article.fetchedAt),
      offset: article.offset,
      seq: segment.seq,
    })),
  );
  const interrupted = await store.pending();
  if (interrupted !== undefined) {
    const manifest = await getManifest(
      options.lake,
      options.lake.buckets.bronze,
      bronzeManifestKey({ ...REF, dt: interrupted.dt, runId: interrupted.runId }),
    );
    const covered = spooled.filter(
      (item) => item.seq > state.walThrough && item.seq <= interrupted.walThrough,
    );
    if (manifest !== undefined) await finish(interrupted, new Set(covered.map((i) => i.seq)));
    else if (covered.length > 0) await commit(covered, interrupted);
    else await store.clearPending();
  }
  await store.dropSegments(
    segments.filter((segment) => segment.seq <= state.walThrough).map((segment) => segment.seq),
  );
  // After recovery, so a new segment never reuses a number the committed state already covers.
  let nextSeq = Math.max(state.walThrough, ...segments.map((segment) => segment.seq)) + 1;
  // Articles at or before the committed cursor were stored by an earlier process. Within this
  // process `seen` dedups, because a poll can return older unseen articles after newer ones.
  const cursor = state.cursor;
  const seen = new Set<string>();
  const seenOrder: string[] = [];
  const remember = (key: string) => {
    seen.add(key);
    seenOrder.push(key);
    // Bounded memory for a process that runs for weeks; old keys are below the cursor anyway.
    if (seenOrder.length > 100_000) seen.delete(seenOrder.shift() ?? '');
  };
  for (const item of spooled) {
    if (item.seq <= state.walThrough) continue;
    remember(`${urlOf(item.raw)}|${publishedTimeOf(item.raw)}`);
    buffer.push(item);
  }
  if (buffer.length > 0) {
    logger.log('info', 'replaying articles a stopped process had accepted', {
      articles: buffer.length,
    });
    batchStarted = Date.now();
  }

  const flush = async () => {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    await commit(batch);
  };

  /** Spools the fresh articles of one page, in pieces that end where a micro-batch fills up. */
  const accept = async (fresh: Omit<Accepted, 'seq'>[]) => {
    let rest = fresh;
    while (rest.length > 0) {
      const piece = rest.slice(0, Math.max(1, batchRecords - buffer.length));
      rest = rest.slice(piece.length);
      const seq = nextSeq++;
      await store.append({
        seq,
        articles: piece.map((item) => ({
          raw: item.raw,
          fetchedAt: item.fetchedAt.toISOString(),
          offset: item.offset,
        })),
      });
      if (buffer.length === 0) batchStarted = Date.now();
      buffer.push(...piece.map((item) => ({ ...item, seq })));
      logger.log('info', 'articles accepted', { articles: piece.length, wal_segment: seq });
      if (buffer.length >= batchRecords) await flush();
    }
  };

  /** One page of the feed, or undefined when the poll failed and the next interval retries. */
  const poll = async (page: number) => {
    try {
      return await options.client.get(
        ENDPOINT,
        { page: String(page), limit: String(options.pageSize ?? 100) },
        // Not aborted by SIGTERM: a poll in flight finishes, so what FMP served is kept.
      );
    } catch (error) {
      if (options.signal.aborted) return undefined;
      if (error instanceof FmpRequestError && !error.retryable) throw error;
      logger.log('warn', 'poll failed; trying again next interval', {
        reason: (error as Error).message,
      });
      return undefined;
    }
  };

  while (!options.signal.aborted) {
    // Only a failed request is retried next interval. A failed spool or commit (the lake, the
    // error budget) stops the stream: its articles are in the write-ahead log and the next start
    // commits them; carrying on would let a later batch's state cover them and drop them.
    for (let page = 0; page < (options.maxPages ?? 5); page++) {
      const response = await poll(page);
      if (response === undefined) break;
      const fresh: Omit<Accepted, 'seq'>[] = [];
      for (const [index, raw] of response.rows.entries()) {
        const published = publishedTimeOf(raw);
        const url = urlOf(raw);
        const key = `${url}|${published}`;
        if (seen.has(key) || !isBeyondCursor(cursor, published, url)) continue;
        remember(key);
        fresh.push({
          raw,
          fetchedAt: response.fetchedAt,
          offset: `${ENDPOINT}?page=${page}#${index}`,
        });
      }
      await accept(fresh);
      // A page with nothing new means the rest is older still.
      if (fresh.length < response.rows.length || response.rows.length === 0) break;
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

function urlOf(raw: unknown): string {
  const value =
    raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['url'] : undefined;
  return typeof value === 'string' ? value : JSON.stringify(raw);
}
