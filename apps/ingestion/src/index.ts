// The programmatic surface of the connectors (what src/main.ts wires to the command line).
export * from './errors';
export { runFmp, type FmpRunOptions } from './fmp/run-fmp';
export { FmpClient, type FmpClientOptions, type FmpResponse } from './fmp/fmp-client';
export { RateLimiter, type RateLimiterOptions } from './fmp/rate-limiter';
export { DEFAULT_RETRY_POLICY, retryDelayMs, parseRetryAfter, type RetryPolicy } from './fmp/retry';
export { FMP_DATASETS, FMP_STREAMS, isFmpDataset, type FmpDataset } from './fmp/streams';
export { runMongodb, type MongodbRunOptions } from './mongodb/run-mongodb';
export { MONGODB_COLLECTION_NAMES, type MongodbCollection } from './mongodb/collections';
export { runNewsStream, type NewsStreamOptions } from './news-stream/run-news-stream';
export { openLake, type Lake, type LakeTargetOptions } from './lake/lake-target';
export type { LakeStore } from './lake/lake-store';
export { FilesystemLakeStore } from './lake/filesystem-lake-store';
export { S3LakeStore, MULTIPART_THRESHOLD_BYTES } from './lake/s3-lake-store';
export { BronzeRun, type BronzeRunSummary } from './lake/bronze-run';
export { listManifests, readManifestedRecords } from './lake/bronze-reader';
export { RunState, type Bookmarks } from './state/run-state';
export { createLogger, correlationIdFromEnv, type Logger } from './observability/logger';
export { Metrics } from './observability/metrics';
export { resolveSecret } from './secrets';
export {
  startFakeFmp,
  type FakeFmp,
  type FakeFmpOptions,
  type FakeFaults,
} from './fake-fmp/server';
