import { batchKeys } from './batch-keys';

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

export const parseQuarantineDatasetPrefix = quarantine.parseDatasetPrefix;
export const parseQuarantinePartitionPrefix = quarantine.parsePartitionPrefix;
export const parseQuarantineRunPrefix = quarantine.parseRunPrefix;
export const parseQuarantineBatchKey = quarantine.parseBatchKey;
