import { parseEnv, type Env } from './env';
import { KeyReader, type KeyLayout } from './key-reader';
import { LakePathError } from './lake-path-error';
import { joinKey, joinPrefix, type LakeKey, type LakePrefix } from './lake-key';

/** The dbt artifacts we keep: what a later run needs for `--state`/`--defer` and for reporting. */
export const DBT_ARTIFACTS = ['manifest.json', 'run_results.json'] as const;

export type DbtArtifact = (typeof DBT_ARTIFACTS)[number];

/** One dbt invocation's artifacts; `invocationId` is dbt's `invocation_id`, a lowercase UUID. */
export interface DbtInvocationRef {
  readonly env: Env;
  readonly invocationId: string;
}

export interface DbtArtifactRef extends DbtInvocationRef {
  readonly artifact: DbtArtifact;
}

export interface DbtLatestRef {
  readonly env: Env;
}

export interface DbtLatestArtifactRef extends DbtLatestRef {
  readonly artifact: DbtArtifact;
}

// The artifacts bucket is already per environment, but `--defer` runs dev against prod's manifest,
// so artifacts get copied between environments; the env in the key keeps the copies apart.
const ROOT = 'dbt';
const LATEST = 'latest';
// dbt's invocation_id is a UUID, which also can never be mistaken for `latest`.
const INVOCATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function layout(name: string, kind: KeyLayout['kind'], pattern: string): KeyLayout {
  return { name, kind, pattern: `${ROOT}/<env>/${pattern}` };
}
const INVOCATION_LAYOUT = layout('a dbt invocation prefix', 'prefix', '<invocation-id>/');
const ARTIFACT_LAYOUT = layout(
  'a dbt artifact key',
  'key',
  `<invocation-id>/${DBT_ARTIFACTS.join('|')}`,
);
const LATEST_LAYOUT = layout('the dbt latest prefix', 'prefix', `${LATEST}/`);
const LATEST_ARTIFACT_LAYOUT = layout(
  'a dbt latest artifact key',
  'key',
  `${LATEST}/${DBT_ARTIFACTS.join('|')}`,
);

function invocationId(value: string, part = 'invocationId'): string {
  if (INVOCATION_ID.test(value)) return value;
  throw new LakePathError({
    code: 'invalid_segment',
    part,
    value,
    problem:
      'is not a dbt invocation_id (expected a lowercase UUID, e.g. 3f2c1a9e-8b7d-4c6e-9a1b-2d3e4f5a6b7c)',
  });
}

function artifact(value: string, part = 'artifact'): DbtArtifact {
  const known = DBT_ARTIFACTS.find((name) => name === value);
  if (known) return known;
  throw new LakePathError({
    code: 'invalid_segment',
    part,
    value,
    problem: `is not a dbt artifact we keep (expected one of ${DBT_ARTIFACTS.join(', ')})`,
  });
}

/** `dbt/<env>/<invocation-id>/` */
export function dbtInvocationPrefix(ref: DbtInvocationRef): LakePrefix<'artifacts'> {
  return joinPrefix([ROOT, parseEnv(ref.env), invocationId(ref.invocationId)]);
}

/** `dbt/<env>/<invocation-id>/manifest.json|run_results.json` */
export function dbtArtifactKey(ref: DbtArtifactRef): LakeKey<'artifacts'> {
  return joinKey([ROOT, parseEnv(ref.env), invocationId(ref.invocationId), artifact(ref.artifact)]);
}

/** `dbt/<env>/latest/`: a copy of the last successful invocation's artifacts. */
export function dbtLatestPrefix(ref: DbtLatestRef): LakePrefix<'artifacts'> {
  return joinPrefix([ROOT, parseEnv(ref.env), LATEST]);
}

/** `dbt/<env>/latest/manifest.json|run_results.json` */
export function dbtLatestArtifactKey(ref: DbtLatestArtifactRef): LakeKey<'artifacts'> {
  return joinKey([ROOT, parseEnv(ref.env), LATEST, artifact(ref.artifact)]);
}

function readEnv(reader: KeyReader): Env {
  reader.literal(ROOT);
  return reader.segment((value) => parseEnv(value));
}

export function parseDbtInvocationPrefix(prefix: string): DbtInvocationRef {
  const reader = new KeyReader(prefix, INVOCATION_LAYOUT);
  const env = readEnv(reader);
  const id = reader.segment((value) => invocationId(value));
  reader.end();
  return { env, invocationId: id };
}

export function parseDbtArtifactKey(key: string): DbtArtifactRef {
  const reader = new KeyReader(key, ARTIFACT_LAYOUT);
  const env = readEnv(reader);
  const id = reader.segment((value) => invocationId(value));
  const file = reader.segment((value) => artifact(value));
  reader.end();
  return { env, invocationId: id, artifact: file };
}

export function parseDbtLatestPrefix(prefix: string): DbtLatestRef {
  const reader = new KeyReader(prefix, LATEST_LAYOUT);
  const env = readEnv(reader);
  reader.literal(LATEST);
  reader.end();
  return { env };
}

export function parseDbtLatestArtifactKey(key: string): DbtLatestArtifactRef {
  const reader = new KeyReader(key, LATEST_ARTIFACT_LAYOUT);
  const env = readEnv(reader);
  reader.literal(LATEST);
  const file = reader.segment((value) => artifact(value));
  reader.end();
  return { env, artifact: file };
}
