import { partitionDate, runId as newRunId } from '@finks/lake-paths';
import { crashPoint } from '../crash-points';
import { bookmarkKey, bronzeManifestKey } from '../lake/keys';
import { getJson, getManifest, putJson } from '../lake/bronze-run';
import type { Lake } from '../lake/lake-target';

/** Cursor per entity (symbol, or `watermark` for a collection), one object per dataset. */
export interface Bookmarks {
  readonly cursors: Readonly<Record<string, string>>;
  readonly runId: string | null;
  readonly updatedAt: string | null;
}

/**
 * A run that was planned but not known to be finished. Written before fetching, so a rerun after
 * a crash repeats the same request under the same run id, and its keys overwrite the partial ones.
 */
export interface PendingRun<Plan> {
  readonly runId: string;
  readonly dt: string;
  readonly plan: Plan;
  /** Runs that have started this plan, this one included (absent in plans from before: 1). */
  readonly attempts?: number;
}

interface DatasetRef {
  readonly source: string;
  readonly dataset: string;
}

const CURSORS = 'cursors';
const PENDING = 'pending-run';

export class RunState<Plan> {
  constructor(
    private readonly lake: Lake,
    private readonly ref: DatasetRef,
  ) {}

  async bookmarks(): Promise<Bookmarks> {
    const stored = await getJson<Bookmarks>(
      this.lake,
      this.lake.buckets.artifacts,
      bookmarkKey({ ...this.ref, name: CURSORS }),
    );
    return stored ?? { cursors: {}, runId: null, updatedAt: null };
  }

  /**
   * Finishes what a crashed run left: if its manifest exists the batch is durable and only the
   * bookmarks are missing, so they are applied now; otherwise the pending plan is returned to be
   * run again under the same id.
   */
  async recover(): Promise<PendingRun<Plan> | undefined> {
    const pending = await getJson<PendingRun<Plan>>(
      this.lake,
      this.lake.buckets.artifacts,
      bookmarkKey({ ...this.ref, name: PENDING }),
    );
    if (pending === undefined) return undefined;
    const manifest = await getManifest(
      this.lake,
      this.lake.buckets.bronze,
      bronzeManifestKey({ ...this.ref, dt: pending.dt, runId: pending.runId }),
    );
    if (manifest === undefined) return pending;
    await this.complete(pending.runId, manifest.bookmarks ?? {}, manifest.setBookmarks ?? {});
    return undefined;
  }

  /**
   * The run to do now: the one a crashed run left pending (same id, same plan), or a new one
   * started at `started`, planned by `plan` and recorded before anything is fetched. A dry run
   * neither recovers nor records.
   */
  async resumeOrBegin(
    started: Date,
    dryRun: boolean,
    plan: () => Plan | Promise<Plan>,
  ): Promise<{ readonly run: PendingRun<Plan>; readonly resumed: boolean }> {
    const pending = dryRun ? undefined : await this.recover();
    if (pending !== undefined) {
      // Counted before fetching, so a run killed mid-way still uses up an attempt.
      const again = { ...pending, attempts: (pending.attempts ?? 1) + 1 };
      await putJson(
        this.lake,
        this.lake.buckets.artifacts,
        bookmarkKey({ ...this.ref, name: PENDING }),
        again,
      );
      return { run: again, resumed: true };
    }
    const run = {
      runId: newRunId(started),
      dt: partitionDate(started),
      plan: await plan(),
      attempts: 1,
    };
    if (!dryRun) await this.begin(run);
    return { run, resumed: false };
  }

  async begin(pending: PendingRun<Plan>): Promise<void> {
    await putJson(
      this.lake,
      this.lake.buckets.artifacts,
      bookmarkKey({ ...this.ref, name: PENDING }),
      pending,
    );
    crashPoint('pending');
  }

  /**
   * Call only after the run's manifest is stored. Cursors only move forward (a resumed or older
   * run never moves them back); `set` entries say what the stored history is (eod_prices' basis,
   * first day and splits) and take the run's value.
   */
  async complete(
    runId: string,
    advanced: Readonly<Record<string, string>>,
    set: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    const current = await this.bookmarks();
    const cursors: Record<string, string> = { ...current.cursors };
    for (const [name, value] of Object.entries(advanced)) {
      const before = cursors[name];
      if (before === undefined || compareCursor(value, before) > 0) cursors[name] = value;
    }
    Object.assign(cursors, set);
    await putJson(
      this.lake,
      this.lake.buckets.artifacts,
      bookmarkKey({ ...this.ref, name: CURSORS }),
      {
        cursors,
        runId,
        updatedAt: new Date().toISOString(),
      } satisfies Bookmarks,
    );
    await this.lake.store.delete(
      this.lake.buckets.artifacts,
      bookmarkKey({ ...this.ref, name: PENDING }),
    );
  }
}

/** Cursors are ISO dates or `<ISO time>|<id>` watermarks; both order as strings. */
function compareCursor(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
