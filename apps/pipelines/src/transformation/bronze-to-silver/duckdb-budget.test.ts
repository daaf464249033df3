import { existsSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import {
  CLEANSING_MEMORY_SHARE,
  availableMemoryBytes,
  duckdbSettings,
  flushThresholdRows,
  laneBudgets,
} from './duckdb-budget';

const MIB = 1024 * 1024;

describe('laneBudgets', () => {
  it('splits one memory budget and the cores between the lanes, each spilling into its own folder', () => {
    const budgets = laneBudgets({ lanes: 2, threads: 2, memoryBytes: 3000 * MIB });
    expect(budgets.map((b) => [b.threads, b.memoryBytes])).toEqual([
      [1, 1500 * MIB],
      [1, 1500 * MIB],
    ]);
    const [first, second] = budgets.map((b) => b.tempDirectory);
    expect(first).not.toBe(second);
    expect(first?.startsWith(tmpdir())).toBe(true);
  });

  it('gives one lane all of it', () => {
    const [budget] = laneBudgets({ lanes: 1, threads: 2, memoryBytes: 1024 * MIB });
    expect(budget).toMatchObject({ threads: 2, memoryBytes: 1024 * MIB });
    expect(duckdbSettings(budget!)).toEqual({
      threads: '2',
      memory_limit: '1024MiB',
      temp_directory: budget!.tempDirectory,
    });
  });

  it('defaults to a share of the memory this process may use, never the whole machine per lane', () => {
    const available = availableMemoryBytes();
    expect(available).toBeGreaterThan(0);
    expect(available).toBeLessThanOrEqual(totalmem());
    const lanes = laneBudgets({ lanes: 2, threads: 2 });
    const total = lanes.reduce((sum, lane) => sum + lane.memoryBytes, 0);
    expect(total).toBeLessThanOrEqual(available * CLEANSING_MEMORY_SHARE);
    expect(total).toBeGreaterThan(available * CLEANSING_MEMORY_SHARE - 2 * MIB);
  });

  it('makes DuckDB spill into the lane folder beyond its memory instead of failing', async () => {
    const [budget] = laneBudgets({ lanes: 1, threads: 1, memoryBytes: 64 * MIB });
    const instance = await DuckDBInstance.create(':memory:', duckdbSettings(budget!));
    const connection = await instance.connect();
    try {
      // ≈ 3 M rows of 40-byte text and a number: several times the 64 MiB.
      await connection.run(
        'CREATE TEMP TABLE big AS SELECT range AS n, md5(range::VARCHAR) AS h FROM range(3000000)',
      );
      expect(existsSync(budget!.tempDirectory)).toBe(true);
      const reader = await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM big');
      expect(reader.getRowObjectsJS()).toEqual([{ n: 3_000_000 }]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    expect(existsSync(budget!.tempDirectory)).toBe(false);
  });

  it("keeps DuckDB's partitioned-write buffer for large lanes and sizes it to small ones", () => {
    const eod = { rows: 1_300_000, partitions: 2_608 };
    // A lane of gigabytes keeps DuckDB's default.
    expect(flushThresholdRows({ ...eod, laneBytes: 7000 * MIB, threads: 1 })).toBe(524_288);
    // 512 MiB, 2 threads: 128 MiB of 256 KiB blocks is 256 partitions per thread.
    expect(flushThresholdRows({ ...eod, laneBytes: 512 * MIB, threads: 2 })).toBe(
      Math.floor(256 * (1_300_000 / 2_608)),
    );
    // Fewer rows per partition, fewer rows buffered; never below 2,048.
    expect(
      flushThresholdRows({ rows: 208_640, partitions: 2_608, laneBytes: 128 * MIB, threads: 1 }),
    ).toBe(128 * 80);
    expect(flushThresholdRows({ rows: 10, partitions: 10, laneBytes: 32 * MIB, threads: 2 })).toBe(
      2_048,
    );
  });

  it('refuses a budget that leaves a lane under 32 MiB, saying so', () => {
    expect(() => laneBudgets({ lanes: 2, threads: 2, memoryBytes: 40 * MIB })).toThrow(
      /leaves less than 32 MiB to each of 2 lanes; give the cleansing more memory/,
    );
  });
});
