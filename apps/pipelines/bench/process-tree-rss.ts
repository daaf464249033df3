// Resident memory of this process and every descendant (the connectors, dbt, Spark), sampled
// from /proc: the stages run in child processes, so the parent's own RSS would say little.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcInfo {
  readonly ppid: number;
  readonly rssBytes: number;
}

const PAGE = 4096;

function snapshot(): Map<number, ProcInfo> {
  const processes = new Map<number, ProcInfo>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // stat: "pid (comm) state ppid …"; comm may hold spaces, so split after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const statm = readFileSync(`/proc/${entry}/statm`, 'utf8').split(' ');
      processes.set(Number(entry), { ppid: Number(fields[1]), rssBytes: Number(statm[1]) * PAGE });
    } catch {
      // the process ended while we looked
    }
  }
  return processes;
}

/** RSS of `root` and all its descendants right now, in bytes. */
export function treeRss(root = process.pid): number {
  const processes = snapshot();
  const children = new Map<number, number[]>();
  for (const [pid, info] of processes) {
    const list = children.get(info.ppid) ?? [];
    list.push(pid);
    children.set(info.ppid, list);
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += processes.get(pid)?.rssBytes ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Samples the tree's RSS every `everyMs`; `peak()` since the last `reset()`. */
export function rssSampler(everyMs = 100) {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, treeRss());
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    peak: () => (sample(), peak),
    reset: () => {
      peak = treeRss();
    },
    stop: () => clearInterval(timer),
  };
}
