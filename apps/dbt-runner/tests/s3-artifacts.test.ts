import { randomInt } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { bucketName, dbtArtifactKey, dbtLatestArtifactKey } from '@finks/lake-paths';
import { S3ArtifactStore } from '../src/artifacts/artifact-store';
import { uploadArtifacts } from '../src/artifacts/upload-artifacts';
import type { DbtRunOutcome } from '../src/runner';

const services = inject('finksServices');
const build = inject('dbtBuild');
const outcome = JSON.parse(build.outcomeJson) as DbtRunOutcome;

describe('artifact upload to S3 (moto)', () => {
  it('puts manifest, run_results and catalog under the invocation prefix and latest/', async () => {
    const client = new S3Client({
      endpoint: services.urls.moto ?? '',
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    // moto is shared with other projects' tests: a bucket of our own, from a random account.
    const accountId = String(randomInt(100_000_000_000, 999_999_999_999));
    const bucket = bucketName({ env: 'dev', zone: 'artifacts', accountId });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const store = new S3ArtifactStore(client, bucket);

    const targetPath = await mkdtemp(join(tmpdir(), 'finks-artifacts-'));
    const manifest = outcome.artifacts.find((artifact) => artifact.file === 'manifest.json');
    const runResults = outcome.artifacts.find((artifact) => artifact.file === 'run_results.json');
    const { readFile } = await import('node:fs/promises');
    await writeFile(join(targetPath, 'manifest.json'), await readFile(manifest?.location ?? ''));
    await writeFile(
      join(targetPath, 'run_results.json'),
      await readFile(runResults?.location ?? ''),
    );
    await writeFile(join(targetPath, 'catalog.json'), '{"nodes":{}}');

    const invocationId = outcome.summary?.invocationId ?? '';
    const uploaded = await uploadArtifacts({
      store,
      env: 'dev',
      invocationId,
      targetPath,
      publishLatest: true,
    });
    expect(uploaded.map((artifact) => artifact.key).sort()).toEqual(
      [
        dbtArtifactKey({ env: 'dev', invocationId, artifact: 'manifest.json' }),
        dbtArtifactKey({ env: 'dev', invocationId, artifact: 'run_results.json' }),
        dbtLatestArtifactKey({ env: 'dev', artifact: 'manifest.json' }),
        dbtLatestArtifactKey({ env: 'dev', artifact: 'run_results.json' }),
        `dbt/dev/${invocationId}/catalog.json`,
      ].sort(),
    );
    const latest = await store.get(dbtLatestArtifactKey({ env: 'dev', artifact: 'manifest.json' }));
    expect(
      Buffer.from(latest ?? new Uint8Array()).equals(await readFile(manifest?.location ?? '')),
    ).toBe(true);
    expect(await store.get('dbt/dev/missing/manifest.json')).toBeUndefined();
    expect(store.describe('dbt/dev/x')).toBe(`s3://${bucket}/dbt/dev/x`);
  });
});
