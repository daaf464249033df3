import { describe, expect, it } from 'vitest';
import { BatchManifestError } from '../errors/batch-manifest-error';
import { parseBatchManifest, type BatchManifest } from './batch-manifest';

const manifest: BatchManifest = {
  version: 1,
  zone: 'bronze',
  source: 'fmp',
  dataset: 'eod_prices',
  dt: '2026-11-24',
  runId: '20261124T220000Z-aaaa01',
  correlationId: 'master-1',
  createdAt: '2026-11-24T22:00:05.123Z',
  rowCount: 2,
  parts: [
    {
      key: 'source=fmp/dataset=eod_prices/dt=2026-11-24/run=20261124T220000Z-aaaa01/part-00000.ndjson.gz',
      rows: 2,
      bytes: 120,
      sha256: 'a'.repeat(64),
    },
  ],
  quarantine: { rowCount: 0, manifestKey: null },
  bookmarks: { AAPL: '2026-11-24' },
};
const WHERE = 'file:///lake/bronze/…/_manifest.json';

function problems(value: unknown): string {
  try {
    parseBatchManifest(typeof value === 'string' ? value : JSON.stringify(value), WHERE);
  } catch (error) {
    expect(error).toBeInstanceOf(BatchManifestError);
    expect((error as BatchManifestError).code).toBe('invalid_manifest');
    expect((error as BatchManifestError).location).toBe(WHERE);
    return (error as Error).message;
  }
  throw new Error('expected parseBatchManifest to throw');
}

describe('parseBatchManifest', () => {
  it('reads what the connectors write, and keeps fields other writers add', () => {
    expect(parseBatchManifest(JSON.stringify(manifest), WHERE)).toEqual(manifest);
    const rejects = { ...manifest, zone: 'quarantine', stage: 'bronze_to_silver', rejectedBy: 'r' };
    expect(parseBatchManifest(JSON.stringify(rejects), WHERE)).toMatchObject({
      stage: 'bronze_to_silver',
    });
  });

  it('names the location, every wrong field and the fix', () => {
    const message = problems({
      ...manifest,
      version: 2,
      createdAt: 'yesterday',
      parts: [{ ...manifest.parts[0], rows: -1, sha256: 'abc' }],
    });
    expect(message).toContain(WHERE);
    expect(message).toMatch(/^ {2}- version: /m);
    expect(message).toMatch(/^ {2}- createdAt: /m);
    expect(message).toMatch(/^ {2}- parts\.0\.rows: /m);
    expect(message).toMatch(/^ {2}- parts\.0\.sha256: .*a hex SHA-256/m);
    expect(message).toContain('Rerun the ingestion that wrote the batch');
  });

  it.each([
    ['text that is not JSON', '{"version": 1,', /not JSON/],
    ['a manifest without parts', { ...manifest, parts: undefined }, /parts: /],
    ['an array', [manifest], /\(the manifest\): /],
    ['a dt that is not a day', { ...manifest, dt: '2026-13-01' }, /dt: /],
  ])('refuses %s', (_what, value, expected) => {
    expect(problems(value)).toMatch(expected);
  });

  const RUN = 'source=fmp/dataset=eod_prices/dt=2026-11-24/run=20261124T220000Z-aaaa01/';
  const withKey = (key: string) => ({ ...manifest, parts: [{ ...manifest.parts[0], key }] });

  it('accepts parts in a subfolder of the run (the cleansing rejects)', () => {
    const key = `${RUN}stage=bronze_to_silver/part-00000.ndjson.gz`;
    expect(parseBatchManifest(JSON.stringify(withKey(key)), WHERE).parts[0]?.key).toBe(key);
  });

  it.each([
    ['a key that climbs out of the lake', '../../../../home/u/.ssh/id_rsa', 'must start with'],
    [
      "another run's part",
      'source=fmp/dataset=eod_prices/dt=2026-11-24/run=20261123T220000Z-bbbb02/part-00000.ndjson.gz',
      'must start with',
    ],
    [
      'a key that climbs out after the prefix',
      `${RUN}../../x/part-00000.ndjson.gz`,
      '".." segment',
    ],
    ['an empty segment', `${RUN}/part-00000.ndjson.gz`, 'empty, "." or ".." segment'],
  ])('refuses %s, naming the part and the run folder', (_what, key, expected) => {
    const message = problems(withKey(key));
    expect(message).toContain(`parts.0.key: ${JSON.stringify(key)}`);
    expect(message).toContain(expected);
    if (expected === 'must start with') expect(message).toContain(`"${RUN}"`);
  });

  it('refuses a manifest copied into another run folder when the reader says where it was', () => {
    const foundIn = { source: 'fmp', dataset: 'eod_prices', dt: '2026-11-24', runId: 'R1' };
    expect(() => parseBatchManifest(JSON.stringify(manifest), WHERE, foundIn)).toThrow(
      /runId: is "20261124T220000Z-aaaa01" but the manifest sits in the folder of runId "R1"/,
    );
    const own = { ...foundIn, runId: manifest.runId };
    expect(parseBatchManifest(JSON.stringify(manifest), WHERE, own)).toEqual(manifest);
  });
});
