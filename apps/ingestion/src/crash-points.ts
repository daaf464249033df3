/**
 * Fault injection for the crash-safety tests: `FINKS_CRASH_AT=<point>[:<n>]` makes the process
 * SIGKILL itself the n-th time it reaches that point (default the first). Points: `pending`
 * (plan stored), `part` (a data object stored), `manifest` (manifest stored, bookmarks not yet).
 * Unset in production; a real SIGKILL, so nothing gets to clean up.
 */
const seen = new Map<string, number>();

export function crashPoint(point: 'pending' | 'part' | 'manifest'): void {
  const setting = process.env['FINKS_CRASH_AT'];
  if (setting === undefined || setting === '') return;
  const [name, nth = '1'] = setting.split(':');
  if (name !== point) return;
  const count = (seen.get(point) ?? 0) + 1;
  seen.set(point, count);
  if (count === Number(nth)) process.kill(process.pid, 'SIGKILL');
}
