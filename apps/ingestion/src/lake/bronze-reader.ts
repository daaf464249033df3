import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { IngestionError } from '../errors';
import {
  bronzeDatasetPrefix,
  parseBronzeManifestKey,
  parseQuarantineManifestKey,
  quarantineDatasetPrefix,
} from './keys';
import type { Lake } from './lake-target';
import {
  parseBatchManifest,
  type BatchManifest,
  type BronzeEnvelope,
  type QuarantineEnvelope,
} from '@finks/contracts';

const MANIFEST = /\/_manifest\.json$/;

/** Every manifest of a dataset in a zone. Parts without a manifest do not count as data. */
export async function listManifests(
  lake: Lake,
  ref: { source: string; dataset: string },
  zone: 'bronze' | 'quarantine' = 'bronze',
): Promise<BatchManifest[]> {
  const bucket = zone === 'bronze' ? lake.buckets.bronze : lake.buckets.quarantine;
  const prefix = zone === 'bronze' ? bronzeDatasetPrefix(ref) : quarantineDatasetPrefix(ref);
  const keys = (await lake.store.list(bucket, prefix)).filter((key) => MANIFEST.test(key));
  const runOf = zone === 'bronze' ? parseBronzeManifestKey : parseQuarantineManifestKey;
  const manifests: BatchManifest[] = [];
  for (const key of keys) {
    const body = await lake.store.get(bucket, key);
    if (body === undefined) continue;
    // The run folder the manifest sits in: a manifest copied from another run is refused, or
    // its parts would be read again under this folder's run.
    const { source, dataset, dt, runId } = runOf(key);
    const foundIn = { source, dataset, dt, runId };
    manifests.push(
      parseBatchManifest(new TextDecoder().decode(body), lake.store.describe(bucket, key), foundIn),
    );
  }
  return manifests;
}

/** The records of every manifested batch, checksums verified. */
export async function* readManifestedRecords<Envelope = BronzeEnvelope>(
  lake: Lake,
  ref: { source: string; dataset: string },
  zone: 'bronze' | 'quarantine' = 'bronze',
): AsyncGenerator<Envelope> {
  const bucket = zone === 'bronze' ? lake.buckets.bronze : lake.buckets.quarantine;
  for (const manifest of await listManifests(lake, ref, zone)) {
    for (const part of manifest.parts) {
      const body = await lake.store.get(bucket, part.key);
      if (body === undefined) {
        throw new IngestionError(
          'lake',
          `manifest of run ${manifest.runId} lists ${part.key}, which is missing`,
        );
      }
      const sha = createHash('sha256').update(body).digest('hex');
      if (sha !== part.sha256) {
        throw new IngestionError('lake', `${part.key} does not match its manifest checksum`);
      }
      for (const line of gunzipSync(body).toString('utf8').split('\n')) {
        if (line !== '') yield JSON.parse(line) as Envelope;
      }
    }
  }
}

export type { QuarantineEnvelope };
