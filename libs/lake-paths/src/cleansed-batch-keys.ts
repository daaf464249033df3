import type { BatchRun, BatchRunRef } from './batch-keys';
import { KeyReader, type KeyLayout } from './key-reader';
import { joinKey, joinPrefix, type LakeKey, type LakePrefix } from './lake-key';
import {
  DATASET_PATTERN,
  PARTITION_PATTERN,
  datasetSegments,
  partitionSegments,
  readDataset,
  readPartition,
  type DatasetRef,
} from './partition';
import { parseRunId } from './run-id';

// The silver zone's record of which bronze batches have been cleansed into it: one small object
// per batch, so a scheduled cleansing reads only the batches that arrived since (a day's bronze
// grows run by run) and a batch that a failed run left behind is still picked up next time. It
// sits outside every table's location (and starts with `_`, which Hive, Spark and Athena skip),
// so no silver table ever reads it as data.
const LEDGER = '_cleansed';
const ENTRY = 'cleansed.json';

const DATASET_LAYOUT: KeyLayout = {
  name: 'a cleansed-batch dataset prefix',
  kind: 'prefix',
  pattern: `${LEDGER}/${DATASET_PATTERN}/`,
};
const ENTRY_LAYOUT: KeyLayout = {
  name: 'a cleansed-batch key',
  kind: 'key',
  pattern: `${LEDGER}/${PARTITION_PATTERN}/run=<runId>/${ENTRY}`,
};

/**
 * `_cleansed/source=<source>/dataset=<dataset>/`: the ledger of one silver table, which a rebuild
 * of the table starts over.
 */
export function cleansedDatasetPrefix(ref: DatasetRef): LakePrefix<'silver'> {
  return joinPrefix([LEDGER, ...datasetSegments(ref)]);
}

/** `_cleansed/source=…/dataset=…/dt=<bronze dt>/run=<bronze runId>/cleansed.json` */
export function cleansedBatchKey(ref: BatchRunRef): LakeKey<'silver'> {
  return joinKey([
    LEDGER,
    ...partitionSegments(ref),
    `run=${parseRunId(ref.runId, 'runId')}`,
    ENTRY,
  ]);
}

export function parseCleansedBatchKey(key: string): BatchRun {
  const reader = new KeyReader(key, ENTRY_LAYOUT);
  reader.literal(LEDGER);
  const partition = readPartition(reader);
  const runId = reader.hive('run', parseRunId);
  reader.literal(ENTRY);
  reader.end();
  return { ...partition, runId };
}

export function parseCleansedDatasetPrefix(prefix: string): DatasetRef {
  const reader = new KeyReader(prefix, DATASET_LAYOUT);
  reader.literal(LEDGER);
  const dataset = readDataset(reader);
  reader.end();
  return dataset;
}
