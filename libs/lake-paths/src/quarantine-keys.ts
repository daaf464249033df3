import { batchKeys, type BatchRun, type BatchRunRef } from './batch-keys';
import { joinKey, joinPrefix, type LakeKey, type LakePrefix } from './lake-key';
import { LakePathError } from './lake-path-error';
import { PARTITION_PATTERN } from './partition';

// Quarantine mirrors bronze's layout, so the records a run rejected sit under the same
// source/dataset/dt/run as the batch they came from. The reason travels inside each record.
const quarantine = batchKeys('quarantine');

/** `source=<source>/dataset=<dataset>/` */
export const quarantineDatasetPrefix = quarantine.datasetPrefix;
/** `source=<source>/dataset=<dataset>/dt=YYYY-MM-DD/` */
export const quarantinePartitionPrefix = quarantine.partitionPrefix;
/** `source=…/dataset=…/dt=…/run=<runId>/` */
export const quarantineRunPrefix = quarantine.runPrefix;
/** `source=…/dataset=…/dt=…/run=<runId>/part-<nnnnn>.ndjson.gz` */
export const quarantineBatchKey = quarantine.batchKey;
/** `source=…/dataset=…/dt=…/run=<runId>/_manifest.json`: the ingestion run's rejects. */
export const quarantineManifestKey = quarantine.manifestKey;

export const parseQuarantineDatasetPrefix = quarantine.parseDatasetPrefix;
export const parseQuarantinePartitionPrefix = quarantine.parsePartitionPrefix;
export const parseQuarantineRunPrefix = quarantine.parseRunPrefix;
export const parseQuarantineBatchKey = quarantine.parseBatchKey;
export const parseQuarantineManifestKey = quarantine.parseManifestKey;

// What the bronze → silver cleansing rejects from a bronze batch goes into a folder of its own
// inside that batch's run, beside what the ingestion rejected. Keyed by the bronze batch, not by
// the cleansing run: cleansing the same batch again (a rerun, a second run the same day, a
// backfill) replaces its rejects instead of adding another copy under a new run id, and never
// touches the ingestion's own part files and manifest.
const CLEANSING_FOLDER = 'stage=bronze_to_silver';

/** `source=…/dataset=…/dt=…/run=<bronze runId>/stage=bronze_to_silver/` */
export function cleansingRejectsPrefix(ref: BatchRunRef): LakePrefix<'quarantine'> {
  return joinPrefix([`${quarantineRunPrefix(ref)}${CLEANSING_FOLDER}`]);
}

/** `…/run=<bronze runId>/stage=bronze_to_silver/part-00000.ndjson.gz`: one part per batch. */
export function cleansingRejectsKey(ref: BatchRunRef): LakeKey<'quarantine'> {
  return joinKey([`${cleansingRejectsPrefix(ref)}part-00000.ndjson.gz`]);
}

/** `…/run=<bronze runId>/stage=bronze_to_silver/_manifest.json` */
export function cleansingRejectsManifestKey(ref: BatchRunRef): LakeKey<'quarantine'> {
  return joinKey([`${cleansingRejectsPrefix(ref)}_manifest.json`]);
}

function cleansingRejectsParser(file: string) {
  const suffix = `/${CLEANSING_FOLDER}/${file}`;
  return (key: string): BatchRun => {
    if (!key.endsWith(suffix)) {
      throw new LakePathError({
        code: 'invalid_key',
        part: 'key',
        value: key,
        problem: `is not a cleansing rejects key (expected ${PARTITION_PATTERN}/run=<runId>${suffix})`,
      });
    }
    return parseQuarantineRunPrefix(key.slice(0, key.length - suffix.length + 1));
  };
}

export const parseCleansingRejectsKey = cleansingRejectsParser('part-00000.ndjson.gz');
export const parseCleansingRejectsManifestKey = cleansingRejectsParser('_manifest.json');
