// CPU time the whole machine spent busy, from /proc/stat: the stages run in child processes
// (connectors, the fake market, dbt), some of them still running when a stage ends, so the
// machine's busy time over a stage says how much of its 2 cores the stage used. On a quiet
// machine that is the flow's own CPU; with other jobs running it includes theirs.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

// USER_HZ: 100 on every Linux architecture Node runs on.
const TICKS_PER_SECOND = 100;

/** Seconds of CPU the machine has been busy (every field of the `cpu` line but idle and iowait). */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [label, ...fields] = line.trim().split(/\s+/);
  if (label !== 'cpu') throw new Error(`/proc/stat does not start with the cpu line: ${line}`);
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
    TICKS_PER_SECOND
  );
}

export const machineCores = availableParallelism();
