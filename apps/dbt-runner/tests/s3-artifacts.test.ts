import { randomInt } from 'node:crypto';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { Writable } from 'node:stream';
import {
  bucketName,
  dbtArtifactKey,
  dbtInvocationPrefix,
  dbtLatestArtifactKey,
} from '@finks/lake-paths';
import { S3ArtifactStore } from '../src/artifacts/artifact-store';
import { uploadArtifacts } from '../src/artifacts/upload-artifacts';
import { localTargetEnvironment } from '../src/dbt/target-environment';
import { DbtRunnerError } from '../src/errors/dbt-runner-error';
import { runDbt, type DbtRunOutcome } from '../src/runner';

const services = inject('finksServices');
const build = inject('dbtBuild');
const outcome = JSON.parse(build.outcomeJson) as DbtRunOutcome;

function motoClient(): S3Client {
  return new S3Client({
    endpoint: services.urls.moto ?? '',
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/** A bucket of our own: moto is shared with other projects' tests (random account id). */
const randomAccountId = () => String(randomInt(100_000_000_000, 999_999_999_999));

describe('artifact upload to S3 (moto)', () => {
  it('puts manifest, run_results and catalog under the invocation prefix and latest/', async () => {
    const client = motoClient();
    const accountId = randomAccountId();
    const bucket = bucketName({ env: 'dev', zone: 'artifacts', accountId });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const store = new S3ArtifactStore(client, bucket);

    const targetPath = await mkdtemp(join(tmpdir(), 'finks-artifacts-'));
    const manifest = outcome.artifacts.find((artifact) => artifact.file === 'manifest.json');
    const runResults = outcome.artifacts.find((artifact) => artifact.file === 'run_results.json');
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

describe('dbt docs generate, published to S3 (moto)', () => {
  /** `docs generate` over a copy of the shared build's warehouse (DuckDB allows one writer). */
  async function docsRun(store: S3ArtifactStore): Promise<DbtRunOutcome> {
    const root = await mkdtemp(join(tmpdir(), 'finks-dbt-docs-'));
    await copyFile(join(build.workDir, 'finks.duckdb'), join(root, 'finks.duckdb'));
    return runDbt({
      command: 'docs',
      env: 'dev',
      environment: localTargetEnvironment({
        lake: build.lake,
        duckdbPath: join(root, 'finks.duckdb'),
        exportGold: false,
      }),
      targetPath: join(root, 'target'),
      artifacts: store,
      log: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
  }

  it('uploads catalog.json, manifest.json, run_results.json and index.html under the run prefix', async () => {
    const client = motoClient();
    const bucket = bucketName({ env: 'dev', zone: 'artifacts', accountId: randomAccountId() });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const docs = await docsRun(new S3ArtifactStore(client, bucket));

    expect(docs.exitCode, docs.message).toBe(0);
    const invocationId = docs.summary?.invocationId ?? '';
    expect(invocationId).toMatch(/^[0-9a-f-]{36}$/);
    const prefix = dbtInvocationPrefix({ env: 'dev', invocationId });
    const expected = {
      'manifest.json': dbtArtifactKey({ env: 'dev', invocationId, artifact: 'manifest.json' }),
      'run_results.json': dbtArtifactKey({
        env: 'dev',
        invocationId,
        artifact: 'run_results.json',
      }),
      'catalog.json': `${prefix}catalog.json`,
      'index.html': `${prefix}index.html`,
    };
    expect(Object.fromEntries(docs.artifacts.map((a) => [a.file, a.key]))).toEqual(expected);
    // What landed in the bucket, read back from moto.
    const catalog = JSON.parse(
      Buffer.from(
        (await new S3ArtifactStore(client, bucket).get(expected['catalog.json'])) ??
          new Uint8Array(),
      ).toString('utf8'),
    ) as { nodes: Record<string, unknown> };
    expect(Object.keys(catalog.nodes)).toContain('model.finks.daily_portfolio_summary');
    const index = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: expected['index.html'] }),
    );
    expect(index.ContentType).toBe('text/html');
    expect(index.ContentLength).toBeGreaterThan(1000);
    // A docs run is not a main build: latest/ stays untouched.
    expect(
      await new S3ArtifactStore(client, bucket).get(
        dbtLatestArtifactKey({ env: 'dev', artifact: 'manifest.json' }),
      ),
    ).toBeUndefined();
  });

  it('says which bucket is missing and how to fix it', async () => {
    const bucket = bucketName({ env: 'dev', zone: 'artifacts', accountId: randomAccountId() });
    const store = new S3ArtifactStore(motoClient(), bucket);
    const failure = store.put('dbt/dev/x/manifest.json', '{}', 'application/json');
    await expect(failure).rejects.toBeInstanceOf(DbtRunnerError);
    await expect(failure).rejects.toMatchObject({
      code: 'artifact_store_missing',
      message: expect.stringContaining(`the artifacts bucket ${bucket} does not exist`),
    });
    await expect(store.get('dbt/dev/latest/manifest.json')).rejects.toMatchObject({
      code: 'artifact_store_missing',
    });
  });
});
