// The lake-paths keys ingestion uses, in one place; quarantine manifests share the bronze layout.
import { type BatchRunRef, quarantineRunPrefix } from '@finks/lake-paths';

export {
  bookmarkKey,
  bronzeBatchKey,
  bronzeDatasetPrefix,
  bronzeManifestKey,
  quarantineBatchKey,
  quarantineDatasetPrefix,
  quarantineManifestKey,
  quarantineRunPrefix,
  parseBronzeManifestKey,
  parseQuarantineManifestKey,
} from '@finks/lake-paths';

/** `…/run=<runId>/_failed_requests.json` in the quarantine zone: requests a run gave up on. */
export function failedRequestsKey(ref: BatchRunRef): string {
  return `${quarantineRunPrefix(ref)}_failed_requests.json`;
}
