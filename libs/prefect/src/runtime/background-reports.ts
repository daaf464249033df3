/**
 * State reports a flow does not wait for: a task run that succeeded on its first attempt is
 * created and completed in the background while the flow moves on (Prefect's Python engine
 * likewise reports task runs asynchronously, as events). At most `limit` requests are in flight,
 * because SQLite-backed servers answer bursts of concurrent writes with 503s. The flow drains
 * the queue before it proposes its own final state.
 */
export class BackgroundReports {
  private readonly pending = new Set<Promise<void>>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number = 2) {}

  /** Runs `work` once fewer than `limit` background requests are in flight. */
  async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }

  track(report: Promise<void>): void {
    this.pending.add(report);
    void report.finally(() => this.pending.delete(report));
  }

  /** Resolves when every report tracked so far (and any added meanwhile) has settled. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
