import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

// Every DuckDB instance assumes it may take 80 % of the machine's memory. The cleansing opens one
// per lane, so two lanes of a large load could ask for 160 % between them and be killed before
// either spilled to disk. Each lane gets its share of one budget instead, and a temp folder of its
// own to spill into (by default DuckDB spills into `.tmp` under the working directory).

/** The share of the memory available to this process that the cleansing's instances share. */
export const CLEANSING_MEMORY_SHARE = 0.6;

/** Memory this process may use: its cgroup's limit when it has one below the machine's RAM. */
export function availableMemoryBytes(): number {
  const constrained = process.constrainedMemory();
  const total = totalmem();
  return constrained > 0 && constrained < total ? constrained : total;
}

export interface LaneBudget {
  readonly threads: number;
  /** Whole MiB. */
  readonly memoryBytes: number;
  /** Where this lane spills beyond its memory. */
  readonly tempDirectory: string;
}

/** The budget as the settings DuckDBInstance.create takes. */
export function duckdbSettings(budget: LaneBudget): Record<string, string> {
  return {
    threads: String(budget.threads),
    memory_limit: `${Math.floor(budget.memoryBytes / MIB)}MiB`,
    temp_directory: budget.tempDirectory,
  };
}

/**
 * Rows a partitioned write may buffer before it flushes (DuckDB's
 * `partitioned_write_flush_threshold`, default 524,288), for a write of `rows` rows into
 * `partitions` partitions by `threads` threads within `laneBytes`. Each thread buffers every
 * partition it has rows for in blocks of at least 256 KiB, and that buffer does not spill: 208 k
 * eod rows over 2,608 days (80 a day) failed in 512 MiB at the default, since nearly every
 * partition held a block in each thread. So the threshold allows a quarter of the lane's memory in
 * such blocks at the write's rows per partition; large lanes keep the default (fewer flushes, one
 * file per partition).
 */
export function flushThresholdRows(write: {
  readonly laneBytes: number;
  readonly threads: number;
  readonly rows: number;
  readonly partitions: number;
}): number {
  const blocks = Math.floor(write.laneBytes / 4 / (Math.max(1, write.threads) * BUFFER_BLOCK));
  const rowsPerPartition = Math.max(1, write.rows / Math.max(1, write.partitions));
  return Math.min(524_288, Math.max(2_048, Math.floor(blocks * rowsPerPartition)));
}

const BUFFER_BLOCK = 256 * 1024;

/**
 * The DuckDB settings of each of `lanes` lanes sharing `threads` cores and `memoryBytes` of
 * memory (default: CLEANSING_MEMORY_SHARE of availableMemoryBytes()).
 */
export function laneBudgets(options: {
  readonly lanes: number;
  readonly threads: number;
  readonly memoryBytes?: number;
}): LaneBudget[] {
  const memory = options.memoryBytes ?? Math.floor(availableMemoryBytes() * CLEANSING_MEMORY_SHARE);
  if (!Number.isFinite(memory) || memory < options.lanes * 32 * MIB) {
    throw new Error(
      `a DuckDB memory budget of ${memory} bytes leaves less than 32 MiB to each of ${options.lanes} lanes; ` +
        'give the cleansing more memory',
    );
  }
  const perLane = Math.floor(memory / options.lanes / MIB) * MIB;
  return Array.from({ length: options.lanes }, (_, lane) => ({
    threads: Math.max(1, Math.floor(options.threads / options.lanes)),
    memoryBytes: perLane,
    tempDirectory: join(tmpdir(), `finks-duckdb-${process.pid}-${lane}`),
  }));
}

const MIB = 1024 * 1024;
