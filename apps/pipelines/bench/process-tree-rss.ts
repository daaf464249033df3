// Resident memory of this process and every descendant (the connectors, dbt, Spark), sampled
// from /proc: the stages run in child processes, so the parent's own RSS would say little.
import { readdirSync, readFileSync } from 'node:fs';

const PAGE = 4096;

// Parent of every live process, read from /proc/<pid>/stat once per pid: reading every
// process's stat and statm ten times a second cost the bench's own process ~5 CPU s per run,
// CPU the stages it measures then lacked. A pid's parent only changes when it is re-parented
// after its parent exits, and then it has left the tree anyway.
const parents = new Map<number, number>();

function parentOf(pid: number): number | undefined {
  let parent = parents.get(pid);
  if (parent !== undefined) return parent;
  try {
    // stat: "pid (comm) state ppid …"; comm may hold spaces, so split after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(pid, parent);
    return parent;
  } catch {
    return undefined; // the process ended while we looked
  }
}

function rssOf(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE;
  } catch {
    return 0; // the process ended while we looked
  }
}

/** `root` and every live descendant of it, right now. */
export function treePids(root = process.pid): number[] {
  const alive = new Set<number>();
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    alive.add(pid);
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(pid);
    children.set(parent, list);
  }
  for (const pid of parents.keys()) if (!alive.has(pid)) parents.delete(pid);
  const tree: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** RSS of `root` and all its descendants right now, in bytes. */
export function treeRss(root = process.pid): number {
  return treePids(root).reduce((total, pid) => total + rssOf(pid), 0);
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
