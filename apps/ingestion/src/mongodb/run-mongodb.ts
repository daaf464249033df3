import { BSON } from 'mongodb';
import { IngestionError } from '../errors';
import { BronzeRun, type BronzeRunSummary } from '../lake/bronze-run';
import type { Lake } from '../lake/lake-target';
import { silentLogger, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { RunState } from '../state/run-state';
import { enforcedBudget, planAttempt, reportCommittedPlan } from '../state/plan-attempts';
import { MONGODB_COLLECTIONS, projectionOf, type MongodbCollection } from './collections';
import type { DocumentSource } from './document-source';
import { formatWatermark, parseWatermark, watermarkOf } from './watermark';

export interface MongodbRunOptions {
  readonly lake: Lake;
  /** The database (`databaseSource`) or a snapshot of it (`snapshotFileSource`). */
  readonly source: DocumentSource;
  readonly collections: readonly MongodbCollection[];
  readonly batchSize?: number;
  readonly errorBudget?: number;
  /**
   * Runs a plan may take. Until the last one, a collection over the error budget fails the run
   * and the next run repeats the plan; the last commits it anyway (its invalid documents are in
   * quarantine) with an `error` line and ErrorBudgetExceeded. Default 3.
   */
  readonly maxPlanAttempts?: number;
  readonly full?: boolean;
  /**
   * How far behind the run's start its upper bound on updatedAt stays (default 60 s). A write is
   * stamped before it becomes visible (a multi-document transaction, a slow write, an app
   * server's clock behind), and one that becomes visible after a run read past its stamp would
   * be below the moved watermark for good; within the lag it is read by a later run instead.
   * Not applied to a snapshot, which is read whole.
   */
  readonly settleMs?: number;
  readonly dryRun?: boolean;
  readonly partMaxRecords?: number;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly now?: () => Date;
}

interface MongodbPlan {
  /** Exclusive lower bound (a formatted watermark) or null for a full load. */
  readonly from: string | null;
  /** Inclusive upper bound on updatedAt, fixed when the run was planned. */
  readonly upper: string;
}

const WATERMARK = 'watermark';
export const DEFAULT_SETTLE_MS = 60_000;

/**
 * Reads each collection after its watermark, in (updatedAt, _id) order with a batched cursor and
 * the contract's projection. No change streams or resume tokens: an idle collection simply yields
 * nothing and keeps its watermark.
 */
export async function runMongodb(options: MongodbRunOptions): Promise<BronzeRunSummary[]> {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const { source } = options;
  const summaries: BronzeRunSummary[] = [];
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  if (!Number.isFinite(settleMs) || settleMs < 0) {
    throw new IngestionError(
      'config',
      `settleMs must be a number of milliseconds, 0 or more (got ${settleMs}); on the command line, --settle-seconds`,
    );
  }

  for (const name of options.collections) {
    const contract = MONGODB_COLLECTIONS[name];
    const ref = { source: 'mongodb', dataset: contract.dataset };
    const state = new RunState<MongodbPlan>(options.lake, ref);
    const log = logger.child({ connector: 'mongodb', dataset: contract.id });

    const started = now();
    const { run: pending, resumed } = await state.resumeOrBegin(
      started,
      options.dryRun === true,
      async () => {
        const from =
          options.full === true || !source.incremental
            ? null
            : ((await state.bookmarks()).cursors[WATERMARK] ?? null);
        const lag = source.incremental ? settleMs : 0;
        return { from, upper: new Date(started.getTime() - lag).toISOString() };
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
      contract,
      runId,
      dt,
      errorBudget: enforcedBudget(budget, attempts),
      ...(options.dryRun === true ? {} : { attempt: attempts }),
      ...(options.partMaxRecords === undefined ? {} : { partMaxRecords: options.partMaxRecords }),
      ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
      onBytesWritten: (bytes) => options.metrics?.add('BytesWritten', bytes, name),
    });
    const documents = source.documents(
      name,
      plan.from === null ? null : parseWatermark(plan.from),
      new Date(plan.upper),
      projectionOf(contract),
      options.batchSize ?? 1000,
    );
    let last: string | undefined;
    let index = 0;
    const fetchedAt = now();
    for await (const document of documents) {
      await run.accept(
        document,
        {
          endpoint: source.incremental
            ? `collection ${name}`
            : `collection ${name} (${source.name})`,
          request: { collection: name, after: plan.from ?? '', upper: plan.upper },
          fetchedAt,
          sourceOffset: `${name}#${index++}`,
        },
        toExtendedJson(document),
      );
      // Invalid documents move the watermark too: they are stored in quarantine, not lost.
      const mark = watermarkOf(document);
      if (mark !== undefined) last = formatWatermark(mark);
    }
    if (plan.from !== null && source.countUndated !== undefined) {
      const undated = await source.countUndated(name);
      if (undated > 0) {
        log.log(
          'warn',
          `${undated} documents of ${name} have an updatedAt that is not a date (or none): an incremental run cannot place them after the watermark and never reads them. Run with --full to land them (in bronze if the contract takes their updatedAt, else in quarantine with the reason), or set their updatedAt to a date`,
          { run_id: runId, undated },
        );
      }
    }
    // A snapshot moves no watermark (see DocumentSource.incremental).
    const advanced = last === undefined || !source.incremental ? {} : { [WATERMARK]: last };
    const summary = await run.commit(advanced);
    if (options.dryRun !== true) await state.complete(runId, advanced);
    reportCommittedPlan({
      summary,
      budget,
      attempt: attempts,
      lake: options.lake,
      ref: { ...ref, dt },
      log,
      metrics: options.metrics,
      metricDataset: name,
    });
    summaries.push(summary);
  }
  return summaries;
}

/** Canonical extended JSON keeps ObjectId, Date and Decimal128 distinguishable in bronze. */
export function toExtendedJson(document: unknown): unknown {
  return BSON.EJSON.serialize(document, { relaxed: false });
}
