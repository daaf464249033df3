// fast-check arbitraries for this lib's own tests: valid inputs for round trips, invalid ones for
// rejections. Not exported from the package.
import fc from 'fast-check';
import { ENVS } from '../env';
import { partitionDate } from '../partition-date';
import { runId } from '../run-id';
import { ZONES } from '../zone';

export const envArb = fc.constantFrom(...ENVS);
export const zoneArb = fc.constantFrom(...ZONES);
export const accountIdArb = fc.stringMatching(/^\d{12}$/);

export const slugArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,24}$/);
export const segmentValueArb = fc
  .stringMatching(/^[A-Za-z0-9._-]{1,24}$/)
  .filter((value) => value !== '.' && value !== '..');

export const dateArb = fc.date({
  min: new Date('0000-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});
export const partitionDateArb = dateArb.map((date) => partitionDate(date));
export const runIdArb = fc
  .tuple(dateArb, fc.stringMatching(/^[a-z0-9]{4,16}$/))
  .map(([startedAt, suffix]) => runId(startedAt, suffix));
export const partArb = fc.integer({ min: 0, max: 99_999 });

export const datasetRefArb = fc.record({ source: slugArb, dataset: slugArb });
export const partitionArb = fc.record({ source: slugArb, dataset: slugArb, dt: partitionDateArb });
export const batchRunArb = fc.record({
  source: slugArb,
  dataset: slugArb,
  dt: partitionDateArb,
  runId: runIdArb,
});
export const batchPartArb = fc.record({
  source: slugArb,
  dataset: slugArb,
  dt: partitionDateArb,
  runId: runIdArb,
  part: partArb,
});

const unsafeCharArb = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 1 })
  .filter((char) => !/^[A-Za-z0-9._-]$/.test(char));

/** Values no key segment may take: empty, relative, holding `/` or a character outside the safe set. */
export const invalidSegmentArb = fc.oneof(
  fc.constantFrom('', '.', '..'),
  fc.tuple(segmentValueArb, segmentValueArb).map(([a, b]) => `${a}/${b}`),
  fc
    .tuple(fc.string({ maxLength: 8 }), unsafeCharArb, fc.string({ maxLength: 8 }))
    .map(([before, char, after]) => `${before}${char}${after}`),
);

/** Values that are not slugs: invalid segments, plus safe strings in the wrong shape. */
export const invalidSlugArb = fc.oneof(
  invalidSegmentArb,
  segmentValueArb.filter((value) => !/^[a-z][a-z0-9_]*$/.test(value)),
);
