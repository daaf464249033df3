import { SOURCE_ENCODINGS } from '@finks/contracts';
import { bookmarkKey, bookmarkPrefix } from '@finks/lake-paths';
import { getJson, putJson } from '../lake/bronze-run';
import type { Lake } from '../lake/lake-target';

/**
 * Where the stream has got to: the newest committed publish time and every URL committed at that
 * second. FMP stamps articles to the second and an article of that second can show up in a later
 * poll, so "published > cursor" alone would skip it after a restart.
 */
export interface StreamCursor {
  readonly published: string | null;
  readonly boundaryUrls: readonly string[];
}

export interface StreamState {
  readonly cursor: StreamCursor;
  /** The highest write-ahead segment whose articles are in a manifested bronze batch. */
  readonly walThrough: number;
}

/** An accepted article as spooled before it counts as accepted. */
export interface SpooledArticle {
  readonly raw: unknown;
  readonly fetchedAt: string;
  readonly offset: string;
}

export interface WalSegment {
  readonly seq: number;
  readonly articles: readonly SpooledArticle[];
}

/**
 * A micro-batch being committed: written before its bronze parts, so a process killed mid-commit
 * is finished by the next one under the same run id (same keys, overwritten, never duplicated).
 */
export interface PendingBatch {
  readonly runId: string;
  readonly dt: string;
  readonly walThrough: number;
  readonly next: StreamState;
  /** Commits of this batch begun so far, counted before each (absent in older files: 0). */
  readonly attempts?: number;
}

const REF = { source: 'fmp', dataset: 'news' } as const;
const STATE = 'stream-state';
const PENDING = 'stream-pending-batch';
const WAL = 'stream-wal-';
// Before the write-ahead log the stream kept only this entry in the dataset's cursors.json.
const LEGACY_CURSOR = 'stream:stock-latest';

export const EMPTY_STATE: StreamState = {
  cursor: { published: null, boundaryUrls: [] },
  walThrough: 0,
};

/**
 * The stream's durable state, in the artifacts bucket beside the dataset's bookmarks (not on the
 * container's disk, which a replaced ECS task does not get back): the cursor, the pending batch
 * and the write-ahead segments of accepted articles not yet in a manifested batch.
 */
export class StreamStore {
  constructor(private readonly lake: Lake) {}

  async state(): Promise<StreamState> {
    const stored = await getJson<StreamState>(this.lake, this.bucket, this.key(STATE));
    if (stored !== undefined) return stored;
    const legacy = await getJson<{ cursors?: Record<string, string> }>(
      this.lake,
      this.bucket,
      this.key('cursors'),
    );
    const published = legacy?.cursors?.[LEGACY_CURSOR];
    return published === undefined
      ? EMPTY_STATE
      : { cursor: { published, boundaryUrls: [] }, walThrough: 0 };
  }

  saveState(state: StreamState): Promise<void> {
    return putJson(this.lake, this.bucket, this.key(STATE), state);
  }

  pending(): Promise<PendingBatch | undefined> {
    return getJson<PendingBatch>(this.lake, this.bucket, this.key(PENDING));
  }

  setPending(batch: PendingBatch): Promise<void> {
    return putJson(this.lake, this.bucket, this.key(PENDING), batch);
  }

  clearPending(): Promise<void> {
    return this.lake.store.delete(this.bucket, this.key(PENDING));
  }

  /** Stores accepted articles durably; only then may the caller buffer them. */
  append(segment: WalSegment): Promise<void> {
    return putJson(this.lake, this.bucket, this.walKey(segment.seq), segment);
  }

  /** Every stored segment, oldest first. */
  async segments(): Promise<WalSegment[]> {
    const prefix = `${bookmarkPrefix(REF)}${WAL}`;
    const keys = (await this.lake.store.list(this.bucket, prefix)).sort();
    const segments: WalSegment[] = [];
    for (const key of keys) {
      const segment = await getJson<WalSegment>(this.lake, this.bucket, key);
      if (segment !== undefined) segments.push(segment);
    }
    return segments.sort((a, b) => a.seq - b.seq);
  }

  async dropSegments(seqs: Iterable<number>): Promise<void> {
    for (const seq of seqs) await this.lake.store.delete(this.bucket, this.walKey(seq));
  }

  private get bucket(): string {
    return this.lake.buckets.artifacts;
  }

  private key(name: string): string {
    return bookmarkKey({ ...REF, name });
  }

  private walKey(seq: number): string {
    // Zero-padded so keys list in sequence order.
    return this.key(`${WAL}${String(seq).padStart(12, '0')}`);
  }
}

// FMP's publishedDate, zone-less to the second, as the news contract reads it. Only such a time
// may move the cursor: one bad article with "not a date" (which sorts after every real time)
// would otherwise hold the cursor above every article still to come.
const FMP_TIME = new RegExp(SOURCE_ENCODINGS.fmp_datetime.pattern);

/** An article's publish time for the cursor, or '' when it has none FMP would send. */
export function publishedTimeOf(raw: unknown): string {
  const value =
    raw !== null && typeof raw === 'object'
      ? (raw as Record<string, unknown>)['publishedDate']
      : undefined;
  return typeof value === 'string' && FMP_TIME.test(value) ? value : '';
}

/** Whether an article is beyond what earlier processes committed. */
export function isBeyondCursor(cursor: StreamCursor, published: string, url: string): boolean {
  if (cursor.published === null || published === '') return true;
  if (published !== cursor.published) return published > cursor.published;
  return !cursor.boundaryUrls.includes(url);
}

/** The cursor once `articles` are committed on top of `cursor`. */
export function advanceCursor(
  cursor: StreamCursor,
  articles: readonly { readonly published: string; readonly url: string }[],
): StreamCursor {
  let newest = cursor.published;
  for (const { published } of articles) {
    if (published !== '' && (newest === null || published > newest)) newest = published;
  }
  if (newest === null) return cursor;
  const urls = new Set(newest === cursor.published ? cursor.boundaryUrls : []);
  for (const { published, url } of articles) if (published === newest) urls.add(url);
  return { published: newest, boundaryUrls: [...urls].sort() };
}
