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
});
