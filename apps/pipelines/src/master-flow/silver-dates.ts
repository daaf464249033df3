import { catchUpDates } from '../transformation/bronze-to-silver/catch-up-window';

/**
 * The bronze `dt` partitions the master flow's silver step asks for: the days this run wrote
 * (connectors partition by the UTC day their run started; `written` is empty where no local lake
 * can be scanned) and the catch-up window (catch-up-window.ts) from its start up to now.
 */
export function silverDates(written: readonly string[], started: Date, now: Date): string[] {
  return [...new Set([...written, ...catchUpDates(started, now)])].sort();
}
