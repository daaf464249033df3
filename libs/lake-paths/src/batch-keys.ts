import { pad } from './calendar';
import { KeyReader, type KeyLayout } from './key-reader';
import { LakePathError } from './lake-path-error';
import { joinKey, joinPrefix, type LakeKey, type LakePrefix } from './lake-key';
import {
  DATASET_PATTERN,
  PARTITION_PATTERN,
  datasetSegments,
  partitionSegments,
  readDataset,
  readPartition,
  type DatasetRef,
  type Partition,
  type PartitionRef,
} from './partition';
import { parseRunId, type RunId } from './run-id';
import type { Zone } from './zone';

/** One run's output in a partition. */
export interface BatchRunRef extends PartitionRef {
  readonly runId: string;
}

/** One numbered data file of a run. */
export interface BatchPartRef extends BatchRunRef {
  /** 0–99999, written as five digits so files list in order. */
  readonly part: number;
}

export interface BatchRun extends Partition {
  readonly runId: RunId;
}

export interface BatchPart extends BatchRun {
  readonly part: number;
}

const MAX_PART = 99_999;
const PART_FILE = /^part-(\d{5})\.ndjson\.gz$/;
// Hive, Spark and Athena skip files whose names start with `_`, so a table over the zone never
// reads the manifest as data.
const MANIFEST_FILE = '_manifest.json';

function partFileName(part: number): string {
  if (!Number.isInteger(part) || part < 0 || part > MAX_PART) {
    throw new LakePathError({
      code: 'invalid_part_number',
      part: 'part',
      value: String(part),
      problem: `must be an integer from 0 to ${MAX_PART} (written as part-<nnnnn>.ndjson.gz)`,
    });
  }
  return `part-${pad(part, 5)}.ndjson.gz`;
}

function runSegments(ref: BatchRunRef): string[] {
  return [...partitionSegments(ref), `run=${parseRunId(ref.runId, 'runId')}`];
}

function readRun(reader: KeyReader): BatchRun {
  const partition = readPartition(reader);
  return { ...partition, runId: reader.hive('run', parseRunId) };
}

/**
 * The ingestion-batch layout that bronze and quarantine share:
 * `source=…/dataset=…/dt=…/run=<runId>/part-<nnnnn>.ndjson.gz`. Quarantine keeps the same
 * partitioning so a rejected record is found beside the batch it came from; why it was rejected
 * is written in the record, not the key.
 */
export function batchKeys<Z extends Zone>(zone: Z) {
  const layout = (name: string, kind: KeyLayout['kind'], pattern: string): KeyLayout => ({
    name: `a ${zone} ${name}`,
    kind,
    pattern,
  });
  const datasetLayout = layout('dataset prefix', 'prefix', `${DATASET_PATTERN}/`);
  const partitionLayout = layout('partition prefix', 'prefix', `${PARTITION_PATTERN}/`);
  const runPattern = `${PARTITION_PATTERN}/run=<runId>`;
  const runLayout = layout('run prefix', 'prefix', `${runPattern}/`);
  const batchLayout = layout('batch key', 'key', `${runPattern}/part-<nnnnn>.ndjson.gz`);
  const manifestLayout = layout('manifest key', 'key', `${runPattern}/${MANIFEST_FILE}`);

  return {
    datasetPrefix: (ref: DatasetRef): LakePrefix<Z> => joinPrefix(datasetSegments(ref)),
    partitionPrefix: (ref: PartitionRef): LakePrefix<Z> => joinPrefix(partitionSegments(ref)),
    runPrefix: (ref: BatchRunRef): LakePrefix<Z> => joinPrefix(runSegments(ref)),
    batchKey: (ref: BatchPartRef): LakeKey<Z> =>
      joinKey([...runSegments(ref), partFileName(ref.part)]),
    manifestKey: (ref: BatchRunRef): LakeKey<Z> => joinKey([...runSegments(ref), MANIFEST_FILE]),

    parseDatasetPrefix(prefix: string): DatasetRef {
      const reader = new KeyReader(prefix, datasetLayout);
      const dataset = readDataset(reader);
      reader.end();
      return dataset;
    },
    parsePartitionPrefix(prefix: string): Partition {
      const reader = new KeyReader(prefix, partitionLayout);
      const partition = readPartition(reader);
      reader.end();
      return partition;
    },
    parseRunPrefix(prefix: string): BatchRun {
      const reader = new KeyReader(prefix, runLayout);
      const run = readRun(reader);
      reader.end();
      return run;
    },
    parseBatchKey(key: string): BatchPart {
      const reader = new KeyReader(key, batchLayout);
      const run = readRun(reader);
      const part = reader.match(PART_FILE, Number);
      reader.end();
      return { ...run, part };
    },
    parseManifestKey(key: string): BatchRun {
      const reader = new KeyReader(key, manifestLayout);
      const run = readRun(reader);
      reader.literal(MANIFEST_FILE);
      reader.end();
      return run;
    },
  };
}
