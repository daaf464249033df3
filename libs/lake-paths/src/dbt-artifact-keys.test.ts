import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
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
} from './dbt-artifact-keys';
import type { Env } from './env';
import { envArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

const invocationId = '3f2c1a9e-8b7d-4c6e-9a1b-2d3e4f5a6b7c';

describe('dbt artifact keys', () => {
  it('builds dbt/<env>/<invocation-id>/… and dbt/<env>/latest/…', () => {
    expect(dbtInvocationPrefix({ env: 'prod', invocationId })).toBe(`dbt/prod/${invocationId}/`);
    expect(dbtArtifactKey({ env: 'prod', invocationId, artifact: 'manifest.json' })).toBe(
      `dbt/prod/${invocationId}/manifest.json`,
    );
    expect(dbtArtifactKey({ env: 'dev', invocationId, artifact: 'run_results.json' })).toBe(
      `dbt/dev/${invocationId}/run_results.json`,
    );
    expect(dbtLatestPrefix({ env: 'staging' })).toBe('dbt/staging/latest/');
    expect(dbtLatestArtifactKey({ env: 'prod', artifact: 'manifest.json' })).toBe(
      'dbt/prod/latest/manifest.json',
    );
  });

  it('parses them back', () => {
    expect(parseDbtArtifactKey(`dbt/prod/${invocationId}/run_results.json`)).toEqual({
      env: 'prod',
      invocationId,
      artifact: 'run_results.json',
    });
    expect(parseDbtInvocationPrefix(`dbt/local/${invocationId}/`)).toEqual({
      env: 'local',
      invocationId,
    });
    expect(parseDbtLatestPrefix('dbt/dev/latest/')).toEqual({ env: 'dev' });
    expect(parseDbtLatestArtifactKey('dbt/dev/latest/manifest.json')).toEqual({
      env: 'dev',
      artifact: 'manifest.json',
    });
  });

  it.each(['latest', '3F2C1A9E-8B7D-4C6E-9A1B-2D3E4F5A6B7C', 'run-1', '../x'])(
    'rejects the invocation id %j',
    (bad) => {
      const error = catchLakePathError(() =>
        dbtArtifactKey({ env: 'prod', invocationId: bad, artifact: 'manifest.json' }),
      );
      expect(error).toMatchObject({ code: 'invalid_segment', part: 'invocationId', value: bad });
      expect(error.message).toContain('is not a dbt invocation_id (expected a lowercase UUID');
    },
  );

  it('rejects an unknown env or artifact, naming it', () => {
    const env = catchLakePathError(() => dbtLatestPrefix({ env: 'qa' as Env }));
    expect(env).toMatchObject({ code: 'invalid_env', part: 'env' });
    const artifact = catchLakePathError(() =>
      dbtLatestArtifactKey({ env: 'dev', artifact: 'catalog.json' as DbtArtifact }),
    );
    expect(artifact.message).toBe(
      'artifact "catalog.json" is not a dbt artifact we keep (expected one of manifest.json, run_results.json)',
    );
    expect(catchLakePathError(() => parseDbtLatestPrefix('dbt/qa/latest/')).code).toBe(
      'invalid_env',
    );
  });

  it('never reads a latest key as an invocation key', () => {
    const error = catchLakePathError(() => parseDbtArtifactKey('dbt/prod/latest/manifest.json'));
    expect(error).toMatchObject({ code: 'invalid_segment', part: 'invocationId', value: 'latest' });
  });

  it('round-trips every env, invocation and artifact', () => {
    fc.assert(
      fc.property(envArb, fc.uuid(), fc.constantFrom(...DBT_ARTIFACTS), (env, id, artifact) => {
        const ref = { env, invocationId: id, artifact };
        expect(parseDbtArtifactKey(dbtArtifactKey(ref))).toEqual(ref);
        expect(parseDbtInvocationPrefix(dbtInvocationPrefix(ref))).toEqual({
          env,
          invocationId: id,
        });
        expect(parseDbtLatestArtifactKey(dbtLatestArtifactKey(ref))).toEqual({ env, artifact });
        expect(parseDbtLatestPrefix(dbtLatestPrefix(ref))).toEqual({ env });
      }),
    );
  });
});
