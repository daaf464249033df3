import { createHash } from 'node:crypto';
import type { DatasetContract } from '@finks/contracts';

/** One request (or paged request) of a run, planned up front so a rerun can repeat it. */
export interface FmpRequestUnit {
  /** The bookmark entry this request advances (`AAPL`, `AAPL:quarter`), or null for none. */
  readonly entity: string | null;
  readonly endpoint: string;
  readonly params: Readonly<Record<string, string>>;
  readonly paged: boolean;
  /** Keep only records whose cursor field is greater than this (already ingested up to it). */
  readonly after: string | null;
  /**
   * Records whose cursor equals `after` are kept too, unless their identity (the stream's
   * `identityField`) is listed here: those the runs before stored (or quarantined) at that cursor.
   * A cursor that is a second (news) is shared by articles FMP may list one run apart. Absent:
   * every record at `after` is taken as stored. Set from the stored bookmark under --full too,
   * where `after` is null, so the run can carry the list on (see `storedCursor`).
   */
  readonly storedAtAfter?: readonly string[];
  /** The entity's stored cursor, also under --full (where `after` ignores it). */
  readonly storedCursor?: string;
  /**
   * Records whose cursor is after this are stored but move no bookmark: a split FMP lists ahead
   * of its ex-date has not happened by the run's `to`, and a bookmark past it would hide the
   * splits before it from eod_prices. Undefined: every valid record moves the bookmark.
   */
  readonly cursorUpTo?: string;
  /**
   * Bookmark entries the run sets, as they are, when this request succeeds, besides the cursors
   * its records advance (eod_prices records the share basis, first day and splits of a symbol's
   * history here).
   */
  readonly bookmarks?: Readonly<Record<string, string>>;
}

export interface PlanInput {
  readonly symbols: readonly string[];
  /** The dataset's bookmarks; empty under --full, which reads the whole window again. */
  readonly cursors: Readonly<Record<string, string>>;
  /**
   * The dataset's stored bookmarks, under --full too: what they say of the history already in
   * bronze (its first day, its share basis) stays true when a window of it is read again.
   */
  readonly stored: Readonly<Record<string, string>>;
  readonly from: string;
  readonly to: string;
  readonly periods: readonly ('annual' | 'quarter')[];
  readonly statementLimit: number;
  /** The bookmarks of the dataset named by the stream's `readsBookmarksOf` (else empty). */
  readonly relatedCursors: Readonly<Record<string, string>>;
}

export interface FmpStream {
  readonly contract: DatasetContract;
  /** The raw field holding the cursor, or null when the dataset keeps no bookmark. */
  readonly cursorField: string | null;
  /** The raw field naming a record among those of one cursor value (FmpRequestUnit.storedAtAfter). */
  readonly identityField?: string;
  /** Another dataset whose bookmarks the plan needs; the run ingests that one first. */
  readonly readsBookmarksOf?: string;
  plan(input: PlanInput): FmpRequestUnit[];
  /**
   * Bookmark entries set from a request's valid records (and those it quarantined) when it
   * succeeds, beside its cursor (splits: the splits of a symbol in effect, which eod_prices
   * compares with those its history was read on; news: the articles of the cursor's second).
   */
  bookmarksOf?(
    unit: FmpRequestUnit,
    records: readonly unknown[],
    quarantined: readonly unknown[],
  ): Record<string, string>;
}

/** The day after an ISO date. */
export function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/**
 * Whether a raw record is one the runs before already stored: its cursor is before the unit's
 * `after`, or equal to it and one of its identities (recordIdentities by `identityField`) is in
 * `storedAtAfter`. The identities (a digest of the record) are taken only for records at `after`.
 */
export function storedBefore(
  unit: FmpRequestUnit,
  cursor: string | undefined,
  raw: unknown,
  identityField: string | undefined,
): boolean {
  if (unit.after === null || cursor === undefined || cursor > unit.after) return false;
  const stored = unit.storedAtAfter;
  if (cursor < unit.after || stored === undefined || identityField === undefined) return true;
  return recordIdentities(raw, identityField).some((identity) => stored.includes(identity));
}

/** A digest of the whole record: names a quarantined one, so the same bad record is not read
 * again, while FMP's corrected version of it (another digest) is. */
export function recordDigest(raw: unknown): string {
  return `#sha256:${createHash('sha256')
    .update(JSON.stringify(raw) ?? 'undefined')
    .digest('hex')}`;
}

/** A string field of a raw record, else undefined. */
export function stringField(raw: unknown, field: string): string | undefined {
  const value =
    raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** What may name a record in `storedAtAfter`: its `field` when that is a string, and its digest. */
export function recordIdentities(raw: unknown, field: string): string[] {
  const value = stringField(raw, field);
  return value === undefined ? [recordDigest(raw)] : [value, recordDigest(raw)];
}
