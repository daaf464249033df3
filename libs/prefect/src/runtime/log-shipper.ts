import { unwrap, type PrefectClient } from '../client/client';
import type { LogCreate, LogSink } from './run-logger';

export interface LogShipperOptions {
  /**
   * How often queued records are sent (default 1 s; Prefect's Python client: 2 s). Smaller
   * batches keep each log write on the server short, so a flow's final state, which SQLite
   * serialises behind it, waits less (libs/prefect README, "Bench").
   */
  readonly intervalMs?: number;
  /** Send at once when this many records are queued. */
  readonly maxBatchRecords?: number;
}

// Prefect's limits for one POST /logs/ (Python: PREFECT_LOGGING_TO_API_BATCH_SIZE 4 MB,
// PREFECT_LOGGING_TO_API_MAX_LOG_SIZE 1 MB); stay under them with a margin for JSON overhead.
const MAX_BATCH_BYTES = 3_500_000;
const MAX_MESSAGE_CHARS = 900_000;

/**
 * Batches run logs to `POST /logs/`: every `intervalMs`, when a batch is full, and on flush().
 * Shipping is best effort — a log that cannot be delivered after the client's retries is
 * reported on the console and dropped, never failing the run that wrote it.
 */
export class LogShipper implements LogSink {
  private queue: LogCreate[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private readonly intervalMs: number;
  private readonly maxBatchRecords: number;

  constructor(
    private readonly client: PrefectClient,
    options: LogShipperOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1_000;
    this.maxBatchRecords = options.maxBatchRecords ?? 1_000;
  }

  add(record: LogCreate): void {
    const message =
      record.message.length > MAX_MESSAGE_CHARS
        ? `${record.message.slice(0, MAX_MESSAGE_CHARS)}… [truncated]`
        : record.message;
    const entry = { ...record, message };
    this.queue.push(entry);
    this.queuedBytes += message.length + 200;
    if (this.queue.length >= this.maxBatchRecords || this.queuedBytes >= MAX_BATCH_BYTES) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.intervalMs);
      // Pending logs alone must not keep a finished process alive; flush() on exit sends them.
      this.timer.unref();
    }
  }

  /** Sends everything queued so far; resolves when it has been delivered (or given up on). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    if (batch.length > 0) {
      this.sending = this.sending.then(() => this.send(batch));
    }
    return this.sending;
  }

  private async send(batch: LogCreate[]): Promise<void> {
    try {
      await unwrap(this.client.api.POST('/logs/', { body: batch }));
    } catch (error) {
      process.stderr.write(
        `Could not send ${batch.length} log record(s) to Prefect: ${
          error instanceof Error ? error.message : String(error)
        }\n`,
      );
    }
  }
}
