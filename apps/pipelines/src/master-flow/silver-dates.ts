/**
 * How many UTC days before its start the master flow's silver step looks back. It reads only the
 * batches the silver ledger lacks, so a batch an earlier run wrote but never cleansed (its silver
 * step failed, or the run was cancelled) is picked up by the next run without anyone naming its
 * date; a longer outage needs a backfill (`transformation-bronze-to-silver` with the dates).
 */
export const CATCH_UP_DAYS = 7;

/** `YYYY-MM-DD` of every UTC day from `start`'s to `end`'s, in order. */
export function utcDaysBetween(start: Date, end: Date): string[] {
  const days: string[] = [];
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  while (day <= end) {
    days.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}

/**
 * The bronze `dt` partitions the silver step asks for: the days this run wrote (connectors
 * partition by the UTC day their run started; `written` is empty where no local lake can be
 * scanned) and the catch-up window's days up to now.
 */
export function silverDates(written: readonly string[], started: Date, now: Date): string[] {
  const from = new Date(started.getTime() - CATCH_UP_DAYS * 86_400_000);
  return [...new Set([...written, ...utcDaysBetween(from, now)])].sort();
}
