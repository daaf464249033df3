import { batchKeys } from './batch-keys';

// Bronze holds ingestion batches as they arrived: one run writes numbered NDJSON parts and then
// its manifest, so a reader that finds the manifest knows the run is complete.
const bronze = batchKeys('bronze');

/** `source=<source>/dataset=<dataset>/`: a bronze table's location. */
export const bronzeDatasetPrefix = bronze.datasetPrefix;
/** `source=<source>/dataset=<dataset>/dt=YYYY-MM-DD/` */
export const bronzePartitionPrefix = bronze.partitionPrefix;
/** `source=…/dataset=…/dt=…/run=<runId>/` */
export const bronzeRunPrefix = bronze.runPrefix;
/** `source=…/dataset=…/dt=…/run=<runId>/part-<nnnnn>.ndjson.gz` */
export const bronzeBatchKey = bronze.batchKey;
/** `source=…/dataset=…/dt=…/run=<runId>/_manifest.json`, written last to mark the run complete. */
export const bronzeManifestKey = bronze.manifestKey;

export const parseBronzeDatasetPrefix = bronze.parseDatasetPrefix;
export const parseBronzePartitionPrefix = bronze.parsePartitionPrefix;
export const parseBronzeRunPrefix = bronze.parseRunPrefix;
export const parseBronzeBatchKey = bronze.parseBatchKey;
export const parseBronzeManifestKey = bronze.parseManifestKey;
