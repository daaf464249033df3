// The catch-up window of a pending cleansing: the bronze dates it reads when none are named. The
// master flow's silver step, the scheduled `bronze-to-silver` and `dbt-build` deployments and the
// CLI all take it from here, so each looks back the same way.

/**
 * How many UTC days before its start a pending cleansing looks back. It reads only the batches
 * the silver ledger lacks, so a batch an earlier run wrote but never cleansed (its cleansing
 * failed, or the run was cancelled) is picked up by the next run without anyone naming its date;
 * a longer outage needs a backfill (`transformation-bronze-to-silver` with the dates).
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
 * The catch-up window: every UTC day from CATCH_UP_DAYS before `since` up to `now`, as bronze
 * `dt` partitions (connectors partition by the UTC day their run started). `since` is when the
 * run began; a run that crosses midnight UTC still reads the day it started in.
 */
export function catchUpDates(since: Date, now: Date = since): string[] {
  return utcDaysBetween(new Date(since.getTime() - CATCH_UP_DAYS * 86_400_000), now);
}
