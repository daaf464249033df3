import type { KeyReader } from './key-reader';
import { partitionDate, type PartitionDate } from './partition-date';
import { slug } from './segment';

/** A dataset of a source, e.g. `{ source: 'fmp', dataset: 'eod_prices' }`; both are slugs. */
export interface DatasetRef {
  readonly source: string;
  readonly dataset: string;
}

/** One day's partition of a dataset; `dt` is `YYYY-MM-DD` or a `Date` (its UTC day). */
export interface PartitionRef extends DatasetRef {
  readonly dt: string | Date;
}

/** A partition as parsed back from a key. */
export interface Partition extends DatasetRef {
  readonly dt: PartitionDate;
}

export const DATASET_PATTERN = 'source=<source>/dataset=<dataset>';
export const PARTITION_PATTERN = `${DATASET_PATTERN}/dt=YYYY-MM-DD`;

export function datasetSegments(ref: DatasetRef): string[] {
  return [`source=${slug(ref.source, 'source')}`, `dataset=${slug(ref.dataset, 'dataset')}`];
}

export function partitionSegments(ref: PartitionRef): string[] {
  return [...datasetSegments(ref), `dt=${partitionDate(ref.dt, 'dt')}`];
}

export function readDataset(reader: KeyReader): DatasetRef {
  const source = reader.hive('source', slug);
  const dataset = reader.hive('dataset', slug);
  return { source, dataset };
}

export function readPartition(reader: KeyReader): Partition {
  const { source, dataset } = readDataset(reader);
  return { source, dataset, dt: reader.hive('dt', partitionDate) };
}
