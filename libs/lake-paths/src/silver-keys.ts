import { KeyReader, type KeyLayout } from './key-reader';
import { joinPrefix, type LakePrefix } from './lake-key';
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

// Silver tables are Parquet written by Glue/Spark, which names the files inside a partition
// itself; the lake only decides where tables and partitions live.

const DATASET_LAYOUT: KeyLayout = {
  name: 'a silver dataset prefix',
  kind: 'prefix',
  pattern: `${DATASET_PATTERN}/`,
};
const PARTITION_LAYOUT: KeyLayout = {
  name: 'a silver partition prefix',
  kind: 'prefix',
  pattern: `${PARTITION_PATTERN}/`,
};

/** `source=<source>/dataset=<dataset>/`: the silver table's location. */
export function silverDatasetPrefix(ref: DatasetRef): LakePrefix<'silver'> {
  return joinPrefix(datasetSegments(ref));
}

/** `source=<source>/dataset=<dataset>/dt=YYYY-MM-DD/`: one `dt` partition of the table. */
export function silverPartitionPrefix(ref: PartitionRef): LakePrefix<'silver'> {
  return joinPrefix(partitionSegments(ref));
}

export function parseSilverDatasetPrefix(prefix: string): DatasetRef {
  const reader = new KeyReader(prefix, DATASET_LAYOUT);
  const dataset = readDataset(reader);
  reader.end();
  return dataset;
}

export function parseSilverPartitionPrefix(prefix: string): Partition {
  const reader = new KeyReader(prefix, PARTITION_LAYOUT);
  const partition = readPartition(reader);
  reader.end();
  return partition;
}
