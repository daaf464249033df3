import { setImmediate as nextTurn } from 'node:timers/promises';
import { FmpRequestError } from '../errors';
import { BronzeRun, putJson, type BronzeRunSummary } from '../lake/bronze-run';
import { failedRequestsKey } from '../lake/keys';
import type { Lake } from '../lake/lake-target';
import type { Logger } from '../observability/logger';
import { silentLogger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { forEachLimited } from '../pool';
import { RunState } from '../state/run-state';
import { enforcedBudget, planAttempt, reportCommittedPlan } from '../state/plan-attempts';
import type { FmpClient, FmpResponse } from './fmp-client';
import { FMP_DATASETS, FMP_STREAMS, type FmpDataset, type FmpRequestUnit } from './streams';
import { storedBefore, stringField } from './streams/stream';

export interface FmpRunOptions {
  readonly lake: Lake;
  readonly client: FmpClient;
  readonly datasets: readonly FmpDataset[];
  readonly symbols: readonly string[];
  /** YYYY-MM-DD; default five years before `to`. */
  readonly from?: string;
  /** YYYY-MM-DD; default today (UTC). */
  readonly to?: string;
  readonly periods?: readonly ('annual' | 'quarter')[];
  readonly statementLimit?: number;
  /** Fraction 0–1 of invalid records a dataset may have before the run fails; default 0.05. */
  readonly errorBudget?: number;
  /** Requests of one dataset in flight at once (the client's limiter caps the process). */
  readonly concurrency?: number;
  /** Ignore bookmarks and read the whole window again. */
  readonly full?: boolean;
  readonly dryRun?: boolean;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly partMaxRecords?: number;
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
  readonly onProgress?: (dataset: string, done: number, total: number) => void;
  /**
   * Runs a plan may take. Until the last one, a failing request or a dataset over the error
   * budget fails the run and the next run repeats the plan; on the last, requests that still
   * fail are recorded as failed (their bookmarks stay) and the rest of the plan is committed,
   * over the error budget too (an `error` line and ErrorBudgetExceeded). Default 3.
   */
  readonly maxPlanAttempts?: number;
}

/** One line of `_failed_requests.json`. */
export interface FailedRequest {
  readonly entity: string | null;
  readonly endpoint: string;
  readonly params: Readonly<Record<string, string>>;
  readonly code: string;
  readonly reason: string;
}

const YIELD_EVERY_ROWS = 250;

interface FmpPlan {
  readonly units: readonly FmpRequestUnit[];
}

/**
 * Runs the FMP connector: per dataset, plan the requests from the bookmarks, fetch, validate,
 * write bronze/quarantine parts, then the manifest, then move the bookmarks. A dataset that a
 * crashed run left pending is finished (or repeated under the same run id) first.
 */
export async function runFmp(options: FmpRunOptions): Promise<BronzeRunSummary[]> {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const to = options.to ?? now().toISOString().slice(0, 10);
  const from = options.from ?? shiftYears(to, -5);
  const summaries: BronzeRunSummary[] = [];

  // In FMP_DATASETS order whatever the caller's: a plan may read bookmarks an earlier one moves.
  for (const dataset of FMP_DATASETS.filter((name) => options.datasets.includes(name))) {
    const stream = FMP_STREAMS[dataset];
    const ref = { source: 'fmp', dataset: stream.contract.dataset };
    const state = new RunState<FmpPlan>(options.lake, ref);
    const log = logger.child({ connector: 'fmp', dataset: stream.contract.id });

    const { run: pending, resumed } = await state.resumeOrBegin(
      now(),
      options.dryRun === true,
      async () => {
        const stored = (await state.bookmarks()).cursors;
        return {
          units: stream.plan({
            symbols: options.symbols,
            cursors: options.full === true ? {} : stored,
            stored,
            from,
            to,
            periods: options.periods ?? ['annual', 'quarter'],
            statementLimit: options.statementLimit ?? 40,
            relatedCursors:
              stream.readsBookmarksOf === undefined
                ? {}
                : (
                    await new RunState(options.lake, {
                      source: 'fmp',
                      dataset: stream.readsBookmarksOf,
                    }).bookmarks()
                  ).cursors,
          }),
        };
      },
    );
    const { runId, dt, plan } = pending;
    if (resumed) {
      log.log('info', 'repeating the stored plan a failed or killed run left unfinished', {
        run_id: runId,
        attempt: pending.attempts ?? 1,
      });
    }

    const budget = options.errorBudget ?? 0.05;
    const attempts = planAttempt(pending, options.maxPlanAttempts ?? 3, options.dryRun === true);
    const run = new BronzeRun({
      correlationId: logger.correlationId,
      lake: options.lake,
      contract: stream.contract,
      runId,
      dt,
      errorBudget: enforcedBudget(budget, attempts),
      ...(options.dryRun === true ? {} : { attempt: attempts }),
      ...(options.partMaxRecords === undefined ? {} : { partMaxRecords: options.partMaxRecords }),
      ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
      onBytesWritten: (bytes) => options.metrics?.add('BytesWritten', bytes, dataset),
    });
    // Cursors the records advance (only forward), and entries that say what the stored history
    // is, set as the plan and the records give them (see RunState.complete).
    const advanced: Record<string, string> = {};
    const described: Record<string, string> = {};
    let done = 0;
    log.log('info', 'dataset run started', { run_id: runId, requests: plan.units.length });

    const { attempt, maxAttempts, last: lastAttempt } = attempts;
    const failed: FailedRequest[] = [];

    await forEachLimited(plan.units, options.concurrency ?? 8, async (unit) => {
      // A unit is all or nothing: its pages are gathered first, so one given up on leaves no
      // records behind that its re-planned request would store a second time.
      const fetched: FmpResponse[] = [];
      try {
        const responses = unit.paged
          ? options.client.pages(unit.endpoint, unit.params, options.signal)
          : single(options.client, unit, options.signal);
        for await (const response of responses) fetched.push(response);
      } catch (error) {
        // A bad key fails every request alike: that is the run's failure, never a unit's.
        if (!lastAttempt || !(error instanceof FmpRequestError) || error.code === 'auth') {
          if (options.dryRun !== true) {
            log.log('error', 'plan attempt failed', {
              run_id: runId,
              attempt,
              max_plan_attempts: maxAttempts,
              next:
                attempt + 1 >= maxAttempts
                  ? `the next run repeats the plan as its last attempt: requests that still fail are recorded as failed and the rest is committed, over the error budget too`
                  : `the next run repeats the plan (attempt ${attempt + 1} of ${maxAttempts})`,
            });
          }
          throw error;
        }
        failed.push({
          entity: unit.entity,
          endpoint: unit.endpoint,
          params: unit.params,
          code: error.code,
          reason: error.message,
        });
        options.onProgress?.(stream.contract.id, ++done, plan.units.length);
        return;
      }
      const describe = `${unit.endpoint}?${new URLSearchParams(unit.params as Record<string, string>).toString()}`;
      const validRecords: unknown[] = [];
      const quarantinedRecords: unknown[] = [];
      for (const [page, response] of fetched.entries()) {
        const where = unit.paged ? `${describe}&page=${page}` : describe;
        // One object per response: the bronze writer serialises a response's shared envelope
        // fields once, recognising them by identity.
        const request = unit.paged ? { ...unit.params, page: String(page) } : unit.params;
        for (const [index, raw] of response.rows.entries()) {
          // Validating a 2,000-row response takes ~100 ms of main thread; without a break the
          // limiter's timers and the other sockets wait that long and the achieved rate drops.
          if (index % YIELD_EVERY_ROWS === YIELD_EVERY_ROWS - 1) await nextTurn();
          const cursor =
            stream.cursorField === null ? undefined : stringField(raw, stream.cursorField);
          if (storedBefore(unit, cursor, raw, stream.identityField)) continue;
          const valid = await run.accept(raw, {
            endpoint: unit.endpoint,
            request,
            fetchedAt: response.fetchedAt,
            sourceOffset: `${where}#${index}`,
          });
          const movesBookmark =
            unit.cursorUpTo === undefined || (cursor !== undefined && cursor <= unit.cursorUpTo);
          if (valid && unit.entity !== null && cursor !== undefined && movesBookmark) {
            const current = advanced[unit.entity];
            if (current === undefined || cursor > current) advanced[unit.entity] = cursor;
          }
          if (stream.bookmarksOf !== undefined)
            (valid ? validRecords : quarantinedRecords).push(raw);
        }
      }
      Object.assign(
        described,
        unit.bookmarks,
        stream.bookmarksOf?.(unit, validRecords, quarantinedRecords),
      );
      options.onProgress?.(stream.contract.id, ++done, plan.units.length);
    });

    let failedRecord: { count: number; key: string } | undefined;
    if (failed.length > 0) {
      const key = failedRequestsKey({ ...ref, dt, runId });
      await putJson(options.lake, options.lake.buckets.quarantine, key, {
        runId,
        dataset: stream.contract.id,
        attempt,
        failed,
      });
      failedRecord = { count: failed.length, key };
      options.metrics?.add('RequestsFailed', failed.length, dataset);
      log.log(
        'warn',
        `requests recorded as failed: ${failed.length} of ${plan.units.length} requests of ${stream.contract.id} still failed on attempt ${attempt} of ${maxAttempts}; the rest is committed. Their bookmarks did not move: fix the cause (first_reason), then run the same command again and they are planned anew`,
        {
          run_id: runId,
          failed_requests: failed.length,
          entities: failed.map((item) => item.entity).filter((entity) => entity !== null),
          first_reason: failed[0]?.reason,
          record: options.lake.store.describe(options.lake.buckets.quarantine, key),
        },
      );
    }
    const summary = await run.commit(advanced, failedRecord, described);
    if (options.dryRun !== true) await state.complete(runId, advanced, described);
    reportCommittedPlan({
      summary,
      budget,
      attempt: attempts,
      lake: options.lake,
      ref: { ...ref, dt },
      log,
      metrics: options.metrics,
      metricDataset: dataset,
    });
    summaries.push(summary);
  }
  return summaries;
}

async function* single(client: FmpClient, unit: FmpRequestUnit, signal?: AbortSignal) {
  yield await client.get(unit.endpoint, unit.params, signal);
}

function shiftYears(date: string, years: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCFullYear(day.getUTCFullYear() + years);
  return day.toISOString().slice(0, 10);
}
