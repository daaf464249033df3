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
  /** DuckDB's `threads`. */
  readonly threads: string;
  /** DuckDB's `memory_limit`, in whole MiB. */
  readonly memory_limit: string;
  /** DuckDB's `temp_directory`: where this lane spills beyond its memory. */
  readonly temp_directory: string;
}

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
  const perLane = Math.floor(memory / options.lanes / MIB);
  return Array.from({ length: options.lanes }, (_, lane) => ({
    threads: String(Math.max(1, Math.floor(options.threads / options.lanes))),
    memory_limit: `${perLane}MiB`,
    temp_directory: join(tmpdir(), `finks-duckdb-${process.pid}-${lane}`),
  }));
}

const MIB = 1024 * 1024;
