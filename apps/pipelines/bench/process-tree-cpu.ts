// CPU seconds per process of this tree, by what the process runs: says which of a stage's
// machine CPU seconds went to the fake market, each connector, dbt or this process (the flow and
// its in-process DuckDB cleansing). Read from /proc/<pid>/stat (utime + stime) every `everyMs`,
// so a process that ends between two samples loses at most that interval of its CPU.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { treePids } from './process-tree-rss';

// Linux reports utime and stime in clock ticks; USER_HZ is 100 on every architecture Node runs on.
const TICKS_PER_SECOND = 100;

interface Tracked {
  readonly label: string;
  /** Ticks at the start of the current stage (0 for a process started during it). */
  base: number;
  last: number;
}

function ticksOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "pid (comm) ": state is the 3rd field, utime the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined; // the process ended while we looked
  }
}

/** What a process runs, short: `ingestion main fmp`, `ingestion fake-fmp/main`, `dbt build`. */
export function processLabel(argv: readonly string[]): string {
  const dbt = argv.findIndex((arg) => basename(arg) === 'dbt');
  if (dbt >= 0) return ['dbt', argv[dbt + 1]].filter(Boolean).join(' ');
  // The runner's --hold: Python runs held_dbt.py with dbt's parse and run argv as JSON.
  const held = argv.findIndex((arg) => basename(arg) === 'held_dbt.py');
  if (held >= 0) {
    const command = (JSON.parse(argv[held + 2] ?? '[]') as unknown[])[0];
    return ['dbt', typeof command === 'string' ? command : '', '(held)'].filter(Boolean).join(' ');
  }
  // tsx starts node with its own loader files, so the app's script is the first .ts argument.
  const script = argv.find((arg) => /\/apps\/[^/]+\/src\/.+\.ts$/.test(arg));
  if (script !== undefined) {
    const [, app, path] = /\/apps\/([^/]+)\/src\/(.+)\.ts$/.exec(script) ?? [];
    const command = argv.slice(argv.indexOf(script) + 1).find((arg) => !arg.startsWith('-'));
    return [app, path, command].filter(Boolean).join(' ');
  }
  return basename(argv[0] ?? 'unknown');
}

function labelOf(pid: number): string {
  if (pid === process.pid) return 'this process (flow, DuckDB cleansing)';
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((a) => a !== '');
    return processLabel(argv);
  } catch {
    return 'unknown';
  }
}

/**
 * Samples the trees of `roots` (this process, and services it started that live on their own,
 * such as FerretDB) every `everyMs`.
 */
export function cpuByProcessSampler(everyMs = 500, roots: readonly number[] = [process.pid]) {
  const tracked = new Map<number, Tracked>();
  const pids = () => roots.flatMap((root) => treePids(root));
  const sample = () => {
    for (const pid of pids()) {
      const ticks = ticksOf(pid);
      if (ticks === undefined) continue;
      const known = tracked.get(pid);
      if (known) known.last = ticks;
      else tracked.set(pid, { label: labelOf(pid), base: 0, last: ticks });
    }
  };
  sample();
  for (const entry of tracked.values()) entry.base = entry.last;
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    /** CPU seconds per label since the last `reset()`, most first. */
    byLabel(): [string, number][] {
      sample();
      const seconds = new Map<string, number>();
      for (const entry of tracked.values()) {
        const used = (entry.last - entry.base) / TICKS_PER_SECOND;
        if (used > 0) seconds.set(entry.label, (seconds.get(entry.label) ?? 0) + used);
      }
      return [...seconds].sort((a, b) => b[1] - a[1]);
    },
    /** Starts a new stage: what ran before no longer counts, ended processes are dropped. */
    reset(): void {
      sample();
      const alive = new Set(pids());
      for (const [pid, entry] of tracked) {
        if (alive.has(pid)) entry.base = entry.last;
        else tracked.delete(pid);
      }
    },
    stop: () => clearInterval(timer),
  };
}
