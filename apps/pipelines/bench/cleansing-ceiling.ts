// The rows/s no DuckDB cleansing of a bronze can pass on this machine, from floors measured in
// the same process: reading and parsing the bronze once (bronze-read-floor.ts) and writing the
// silver rows, as one file and by day (partition-write-floor.ts). Each floor leaves out all the
// cleansing's other work (checks, quarantine, dedupe, merge), so read + write is less than the
// cleansing's time, and rows / (read + write) more than any rows/s it can reach.
import type { DatasetContract } from '@finks/contracts';
import { bronzeReadFloor } from './bronze-read-floor';
import { partitionWriteFloor } from './partition-write-floor';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const MB = 1024 * 1024;

export interface CeilingInput {
  /** The local lake the cleansing read (its bronze bucket). */
  readonly lakeRoot: string;
  readonly contract: DatasetContract;
  /** The bronze dates it read. */
  readonly dates: readonly string[];
  /** The silver table it wrote (its `dt=` partitions). */
  readonly silverTable: string;
  /** issue #7's target, printed beside the ceilings. */
  readonly targetRowsPerSecond: number;
}

export async function printCleansingCeiling(input: CeilingInput, indent = ''): Promise<void> {
  const { targetRowsPerSecond: target } = input;
  const read = await bronzeReadFloor(input.lakeRoot, input.contract, input.dates);
  const reading = (seconds: number) => `${fmt(seconds, 2)} s = ${fmt(read.lines / seconds)} rows/s`;
  console.log(
    `${indent}bronze read alone (${fmt(read.lines)} lines, ${fmt(read.characters / MB)} MiB unzipped): ` +
      `unzipped and split ${reading(read.linesSeconds)}; and parsed into typed values, no checks, ` +
      `${reading(read.parsedSeconds)}`,
  );
  const write = await partitionWriteFloor(input.silverTable);
  if (write === null) {
    console.log(`${indent}write floor: no silver Parquet under ${input.silverTable}`);
    return;
  }
  console.log(
    `${indent}silver rows written again, no cleansing: one file ${fmt(write.oneFileSeconds, 2)} s; ` +
      `${fmt(write.partitions)} dt partitions ${fmt(write.partitionedSeconds, 2)} s ` +
      `(${fmt(write.partitionedSeconds / write.oneFileSeconds, 1)}× the one file)`,
  );
  const ceiling = (writeSeconds: number) => {
    const rate = read.lines / (read.parsedSeconds + writeSeconds);
    return `${fmt(rate)} rows/s (${rate >= target ? 'within reach of' : 'below'} the ${fmt(target)} target)`;
  };
  console.log(
    `${indent}ceiling of any DuckDB cleansing of this bronze, read + write: into daily partitions ` +
      `${ceiling(write.partitionedSeconds)}; even into one file ${ceiling(write.oneFileSeconds)}`,
  );
}
