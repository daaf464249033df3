import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bronzeBatchKey, bronzeManifestKey, bucketName } from '@finks/lake-paths';
import type { BronzeEnvelope } from '@finks/contracts';

const BRONZE = bucketName({ env: 'local', zone: 'bronze', accountId: '123456789012' });

/** One bronze NDJSON line in ingestion's envelope. */
export function bronzeLine(
  source: string,
  dataset: string,
  runId: string,
  fetchedAt: string,
  index: number,
  payload: unknown,
): string {
  const envelope: BronzeEnvelope = {
    source,
    dataset,
    endpoint: `/stable/${dataset}`,
    request: {},
    fetched_at: fetchedAt,
    run_id: runId,
    source_offset: `${dataset}#${index}`,
    payload,
  };
  return JSON.stringify(envelope);
}

/** Writes one run's part and, unless told not to, its manifest, as ingestion does. */
export async function writeBronzeRun(
  lakeRoot: string,
  source: string,
  dataset: string,
  dt: string,
  runId: string,
  lines: readonly string[],
  options: { readonly manifest?: boolean; readonly createdAt?: string } = {},
): Promise<void> {
  const ref = { source, dataset, dt, runId };
  const key = bronzeBatchKey({ ...ref, part: 0 });
  const body = gzipSync(`${lines.join('\n')}\n`);
  await mkdir(join(lakeRoot, BRONZE, key, '..'), { recursive: true });
  await writeFile(join(lakeRoot, BRONZE, key), body);
  if (options.manifest === false) return;
  const manifest = {
    version: 1,
    zone: 'bronze',
    ...ref,
    createdAt: options.createdAt ?? new Date().toISOString(),
    rowCount: lines.length,
    parts: [
      {
        key,
        rows: lines.length,
        bytes: body.byteLength,
        sha256: createHash('sha256').update(body).digest('hex'),
      },
    ],
  };
  await writeFile(join(lakeRoot, BRONZE, bronzeManifestKey(ref)), JSON.stringify(manifest));
}
