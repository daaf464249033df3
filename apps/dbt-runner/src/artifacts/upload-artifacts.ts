import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DBT_ARTIFACTS,
  dbtArtifactKey,
  dbtInvocationPrefix,
  dbtLatestArtifactKey,
  type Env,
} from '@finks/lake-paths';
import type { ArtifactStore } from './artifact-store';

/**
 * Files of a dbt target folder we publish besides lake-paths' DBT_ARTIFACTS. lake-paths has no
 * key for them yet, so they go under the invocation's prefix with their own file names.
 */
export const EXTRA_ARTIFACTS = ['catalog.json', 'index.html'] as const;

export interface UploadedArtifact {
  readonly file: string;
  readonly key: string;
  readonly location: string;
}

export interface UploadArtifactsOptions {
  readonly store: ArtifactStore;
  readonly env: Env;
  readonly invocationId: string;
  /** dbt's target folder holding manifest.json, run_results.json, … */
  readonly targetPath: string;
  /** Also copy manifest.json and run_results.json to `dbt/<env>/latest/` (a successful main build). */
  readonly publishLatest: boolean;
}

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const contentType = (file: string) => (file.endsWith('.html') ? 'text/html' : 'application/json');

/** Uploads the run's artifacts under `dbt/<env>/<invocation-id>/` (and `latest/` on request). */
export async function uploadArtifacts(
  options: UploadArtifactsOptions,
): Promise<UploadedArtifact[]> {
  const { store, env, invocationId } = options;
  const uploaded: UploadedArtifact[] = [];
  const put = async (file: string, key: string, body: Buffer) => {
    await store.put(key, body, contentType(file));
    uploaded.push({ file, key, location: store.describe(key) });
  };
  for (const artifact of DBT_ARTIFACTS) {
    const body = await readIfPresent(join(options.targetPath, artifact));
    if (!body) continue;
    await put(artifact, dbtArtifactKey({ env, invocationId, artifact }), body);
    if (options.publishLatest) await put(artifact, dbtLatestArtifactKey({ env, artifact }), body);
  }
  const prefix = dbtInvocationPrefix({ env, invocationId });
  for (const file of EXTRA_ARTIFACTS) {
    const body = await readIfPresent(join(options.targetPath, file));
    if (body) await put(file, `${prefix}${file}`, body);
  }
  return uploaded;
}
