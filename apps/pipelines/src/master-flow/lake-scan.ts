// Reads what a run left in the local lake: the bronze manifests it wrote (their dt partitions
// feed bronze → silver, their row counts the summary).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseBatchManifest } from '@finks/contracts';

export interface BronzeManifestSummary {
  readonly source: string;
  readonly dataset: string;
  readonly dt: string;
  readonly rowCount: number;
  readonly quarantined: number;
  readonly createdAt: string;
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/**
 * Every bronze manifest in `bronzeBucketDir` written at or after `since`. A batch's `dt=` is the
 * UTC day its run began, so only the partitions from the day before `since` on are read (a run
 * that began before midnight may finish after `since`), not every manifest the lake ever held;
 * the AWS supervisor lists the same two days (aws-steps.ts).
 */
export async function bronzeManifestsSince(
  bronzeBucketDir: string,
  since: Date,
): Promise<BronzeManifestSummary[]> {
  const firstDt = `dt=${new Date(since.getTime() - 86_400_000).toISOString().slice(0, 10)}`;
  const found: BronzeManifestSummary[] = [];
  for (const source of await entries(bronzeBucketDir)) {
    for (const dataset of await entries(join(bronzeBucketDir, source))) {
      const partitions = await entries(join(bronzeBucketDir, source, dataset));
      // `dt=YYYY-MM-DD` names sort as their days do.
      for (const dt of partitions.filter((name) => name.startsWith('dt=') && name >= firstDt)) {
        for (const run of await entries(join(bronzeBucketDir, source, dataset, dt))) {
          const file = join(bronzeBucketDir, source, dataset, dt, run, '_manifest.json');
          const text = await readFile(file, 'utf8').catch(() => null);
          if (text === null) continue;
          const manifest = parseBatchManifest(text, file);
          if (new Date(manifest.createdAt) < since) continue;
          found.push({
            source: manifest.source,
            dataset: manifest.dataset,
            dt: manifest.dt,
            rowCount: manifest.rowCount,
            quarantined: manifest.quarantine?.rowCount ?? 0,
            createdAt: manifest.createdAt,
          });
        }
      }
    }
  }
  return found;
}
