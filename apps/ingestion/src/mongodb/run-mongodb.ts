import { BSON } from 'mongodb';
import { BronzeRun, type BronzeRunSummary } from '../lake/bronze-run';
import type { Lake } from '../lake/lake-target';
import { silentLogger, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { RunState } from '../state/run-state';
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
  readonly full?: boolean;
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
        return { from, upper: started.toISOString() };
      },
    );
    const { runId, dt, plan } = pending;
    if (resumed) log.log('info', 'repeating the run a crash left unfinished', { run_id: runId });

    const run = new BronzeRun({
      correlationId: logger.correlationId,
      lake: options.lake,
      contract,
      runId,
      dt,
      errorBudget: options.errorBudget ?? 0.05,
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
    // A snapshot moves no watermark (see DocumentSource.incremental).
    const advanced = last === undefined || !source.incremental ? {} : { [WATERMARK]: last };
    const summary = await run.commit(advanced);
    if (options.dryRun !== true) await state.complete(runId, advanced);
    options.metrics?.add('RecordsRead', summary.read, name);
    options.metrics?.add('RecordsValid', summary.valid, name);
    options.metrics?.add('RecordsQuarantined', summary.quarantined, name);
    log.log('info', 'dataset run committed', { ...summary });
    summaries.push(summary);
  }
  return summaries;
}

/** Canonical extended JSON keeps ObjectId, Date and Decimal128 distinguishable in bronze. */
export function toExtendedJson(document: unknown): unknown {
  return BSON.EJSON.serialize(document, { relaxed: false });
}
