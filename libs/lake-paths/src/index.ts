// The one place where data-lake locations are built and parsed: buckets, keys and prefixes per
// zone, and their rendering as S3 URIs or paths in the local filesystem lake.

export {
  LakePathError,
  type LakePathErrorCode,
  type LakePathErrorDetails,
} from './lake-path-error';

export { ENVS, isEnv, parseEnv, type Env } from './env';
export { ZONES, isZone, parseZone, type Zone } from './zone';
export { bucketName, parseBucketName, type BucketName, type LakeBucket } from './bucket-name';

export { partitionDate, type PartitionDate } from './partition-date';
export { parseRunId, runId, runIdStartedAt, type RunId } from './run-id';

export {
  MAX_KEY_BYTES,
  isLakePrefix,
  parseLakeKey,
  parseLakePrefix,
  type LakeKey,
  type LakePrefix,
} from './lake-key';
export type { DatasetRef, Partition, PartitionRef } from './partition';
export type { BatchPart, BatchPartRef, BatchRun, BatchRunRef } from './batch-keys';

export {
  bronzeBatchKey,
  bronzeDatasetPrefix,
  bronzeManifestKey,
  bronzePartitionPrefix,
  bronzeRunPrefix,
  parseBronzeBatchKey,
  parseBronzeDatasetPrefix,
  parseBronzeManifestKey,
  parseBronzePartitionPrefix,
  parseBronzeRunPrefix,
} from './bronze-keys';
export {
  cleansingRejectsKey,
  cleansingRejectsManifestKey,
  cleansingRejectsPrefix,
  parseCleansingRejectsKey,
  parseCleansingRejectsManifestKey,
  parseQuarantineBatchKey,
  parseQuarantineDatasetPrefix,
  parseQuarantineManifestKey,
  parseQuarantinePartitionPrefix,
  parseQuarantineRunPrefix,
  quarantineBatchKey,
  quarantineDatasetPrefix,
  quarantineManifestKey,
  quarantinePartitionPrefix,
  quarantineRunPrefix,
} from './quarantine-keys';
export {
  cleansedBatchKey,
  cleansedDatasetPrefix,
  parseCleansedBatchKey,
  parseCleansedDatasetPrefix,
} from './cleansed-batch-keys';
export {
  parseSilverDatasetPrefix,
  parseSilverPartitionPrefix,
  silverDatasetPrefix,
  silverPartitionPrefix,
} from './silver-keys';
export { goldMartPrefix, parseGoldMartPrefix, type MartRef } from './gold-keys';
export { bookmarkKey, bookmarkPrefix, parseBookmarkKey, type BookmarkRef } from './bookmark-keys';
export {
  DRIFT_REPORTS_PREFIX,
  driftReportKey,
  driftReportPrefix,
  parseDriftReportKey,
  type DriftReportRef,
} from './drift-report-keys';
export {
  DBT_ARTIFACTS,
  dbtArtifactKey,
  dbtInvocationPrefix,
  dbtLatestArtifactKey,
  dbtLatestPrefix,
  parseDbtArtifactKey,
  parseDbtInvocationPrefix,
  parseDbtLatestArtifactKey,
  parseDbtLatestPrefix,
  type DbtArtifact,
  type DbtArtifactRef,
  type DbtInvocationRef,
  type DbtLatestArtifactRef,
  type DbtLatestRef,
} from './dbt-artifact-keys';
export {
  GLUE_SCRIPTS_PREFIX,
  glueContractsKey,
  glueScriptKey,
  parseGlueScriptKey,
  type GlueScriptRef,
} from './glue-script-keys';

export {
  lakeLocation,
  parseLocalPath,
  parseS3Uri,
  toLocalPath,
  toS3Uri,
  type LakeLocation,
} from './lake-location';
