import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleansingRejectsKey,
  cleansingRejectsManifestKey,
  cleansingRejectsPrefix,
  parseCleansingRejectsKey,
  parseCleansingRejectsManifestKey,
  parseQuarantineBatchKey,
  parseQuarantineDatasetPrefix,
  parseQuarantineManifestKey,
  parseQuarantinePartitionPrefix,
  parseQuarantineRunPrefix,
  quarantineBatchKey,
  quarantineDatasetPrefix,
  quarantineManifestKey,
  quarantinePartitionPrefix,
  quarantineRunPrefix,
} from './quarantine-keys';
import { batchPartArb, invalidSegmentArb } from './testing/arbitraries';
import { catchLakePathError } from './testing/catch-lake-path-error';

const ref = {
  source: 'mongodb',
  dataset: 'transactions',
  dt: '2026-11-25',
  runId: '20261125T101500Z-ab12cd',
  part: 7,
};

describe('quarantine keys', () => {
  it('uses the same partitioning as bronze, with no reason in the key', () => {
    const run = 'source=mongodb/dataset=transactions/dt=2026-11-25/run=20261125T101500Z-ab12cd';
    expect(quarantineDatasetPrefix(ref)).toBe('source=mongodb/dataset=transactions/');
    expect(quarantinePartitionPrefix(ref)).toBe(
      'source=mongodb/dataset=transactions/dt=2026-11-25/',
    );
    expect(quarantineRunPrefix(ref)).toBe(`${run}/`);
    expect(quarantineBatchKey(ref)).toBe(`${run}/part-00007.ndjson.gz`);
    expect(quarantineManifestKey(ref)).toBe(`${run}/_manifest.json`);
  });

  it("keeps the cleansing's rejects of a bronze batch in their own folder of that batch's run", () => {
    const stage = `source=mongodb/dataset=transactions/dt=2026-11-25/run=20261125T101500Z-ab12cd/stage=bronze_to_silver`;
    expect(cleansingRejectsPrefix(ref)).toBe(`${stage}/`);
    expect(cleansingRejectsKey(ref)).toBe(`${stage}/part-00000.ndjson.gz`);
    expect(cleansingRejectsManifestKey(ref)).toBe(`${stage}/_manifest.json`);
    // Not one of the ingestion's part files or its manifest, which sit beside it.
    expect(cleansingRejectsKey(ref)).not.toBe(quarantineBatchKey({ ...ref, part: 0 }));
    expect(catchLakePathError(() => cleansingRejectsKey({ ...ref, runId: 'latest' })).part).toBe(
      'runId',
    );
    expect(
      catchLakePathError(() => parseCleansingRejectsKey(quarantineBatchKey({ ...ref, part: 0 })))
        .message,
    ).toContain('is not a cleansing rejects key');
  });

  it('says "quarantine" when a key does not fit', () => {
    expect(catchLakePathError(() => parseQuarantineBatchKey('reason=bad/x')).message).toContain(
      'is not a quarantine batch key',
    );
  });

  it('round-trips every valid input', () => {
    fc.assert(
      fc.property(batchPartArb, (input) => {
        const dataset = { source: input.source, dataset: input.dataset };
        const partition = { ...dataset, dt: input.dt };
        const run = { ...partition, runId: input.runId };
        expect(parseQuarantineBatchKey(quarantineBatchKey(input))).toEqual(input);
        expect(parseQuarantineRunPrefix(quarantineRunPrefix(run))).toEqual(run);
        expect(parseQuarantineManifestKey(quarantineManifestKey(run))).toEqual(run);
        expect(parseCleansingRejectsKey(cleansingRejectsKey(run))).toEqual(run);
        expect(parseCleansingRejectsManifestKey(cleansingRejectsManifestKey(run))).toEqual(run);
        expect(parseQuarantinePartitionPrefix(quarantinePartitionPrefix(partition))).toEqual(
          partition,
        );
        expect(parseQuarantineDatasetPrefix(quarantineDatasetPrefix(dataset))).toEqual(dataset);
      }),
    );
  });

  it('rejects every invalid dataset', () => {
    fc.assert(
      fc.property(batchPartArb, invalidSegmentArb, (input, dataset) => {
        expect(catchLakePathError(() => quarantineBatchKey({ ...input, dataset })).part).toBe(
          'dataset',
        );
      }),
    );
  });
});
