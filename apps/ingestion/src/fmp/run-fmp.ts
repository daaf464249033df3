import { BronzeRun, type BronzeRunSummary } from '../lake/bronze-run';
import type { Lake } from '../lake/lake-target';
import type { Logger } from '../observability/logger';
import { silentLogger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { forEachLimited } from '../pool';
import { RunState } from '../state/run-state';
import type { FmpClient } from './fmp-client';
import { FMP_STREAMS, type FmpDataset, type FmpRequestUnit } from './streams';

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
}

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

  for (const dataset of options.datasets) {
    const stream = FMP_STREAMS[dataset];
    const ref = { source: 'fmp', dataset: stream.contract.dataset };
    const state = new RunState<FmpPlan>(options.lake, ref);
    const log = logger.child({ connector: 'fmp', dataset: stream.contract.id });

    const { run: pending, resumed } = await state.resumeOrBegin(
      now(),
      options.dryRun === true,
      async () => {
        const cursors = options.full === true ? {} : (await state.bookmarks()).cursors;
        return {
          units: stream.plan({
            symbols: options.symbols,
            cursors,
            from,
            to,
            periods: options.periods ?? ['annual', 'quarter'],
            statementLimit: options.statementLimit ?? 40,
          }),
        };
      },
    );
    const { runId, dt, plan } = pending;
    if (resumed) log.log('info', 'repeating the run a crash left unfinished', { run_id: runId });

    const run = new BronzeRun({
      lake: options.lake,
      contract: stream.contract,
      runId,
      dt,
      errorBudget: options.errorBudget ?? 0.05,
      ...(options.partMaxRecords === undefined ? {} : { partMaxRecords: options.partMaxRecords }),
      ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
      onBytesWritten: (bytes) => options.metrics?.add('BytesWritten', bytes, dataset),
    });
    const advanced: Record<string, string> = {};
    let done = 0;
    log.log('info', 'dataset run started', { run_id: runId, requests: plan.units.length });

    await forEachLimited(plan.units, options.concurrency ?? 8, async (unit) => {
      const responses = unit.paged
        ? options.client.pages(unit.endpoint, unit.params, options.signal)
        : single(options.client, unit, options.signal);
      for await (const response of responses) {
        const describe = `${unit.endpoint}?${new URLSearchParams(unit.params as Record<string, string>).toString()}`;
        for (const [index, raw] of response.rows.entries()) {
          const cursor =
            stream.cursorField === null ? undefined : cursorOf(raw, stream.cursorField);
          if (unit.after !== null && cursor !== undefined && cursor <= unit.after) continue;
          const valid = await run.accept(raw, {
            endpoint: unit.endpoint,
            request: unit.params,
            fetchedAt: response.fetchedAt,
            sourceOffset: `${describe}#${index}`,
          });
          if (valid && unit.entity !== null && cursor !== undefined) {
            const current = advanced[unit.entity];
            if (current === undefined || cursor > current) advanced[unit.entity] = cursor;
          }
        }
      }
      options.onProgress?.(stream.contract.id, ++done, plan.units.length);
    });

    const summary = await run.commit(advanced);
    if (options.dryRun !== true) await state.complete(runId, advanced);
    options.metrics?.add('RecordsRead', summary.read, dataset);
    options.metrics?.add('RecordsValid', summary.valid, dataset);
    options.metrics?.add('RecordsQuarantined', summary.quarantined, dataset);
    log.log('info', 'dataset run committed', { ...summary });
    summaries.push(summary);
  }
  return summaries;
}

async function* single(client: FmpClient, unit: FmpRequestUnit, signal?: AbortSignal) {
  yield await client.get(unit.endpoint, unit.params, signal);
}

function cursorOf(raw: unknown, field: string): string | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const value = (raw as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

function shiftYears(date: string, years: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCFullYear(day.getUTCFullYear() + years);
  return day.toISOString().slice(0, 10);
}
