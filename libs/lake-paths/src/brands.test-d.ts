import { describe, expectTypeOf, it } from 'vitest';
import {
  bronzeBatchKey,
  bronzeRunPrefix,
  bucketName,
  lakeLocation,
  silverDatasetPrefix,
  type BucketName,
  type LakeKey,
  type LakeLocation,
  type LakePrefix,
  type PartitionDate,
  type RunId,
} from './index';

describe('branded types', () => {
  it('do not accept a plain string', () => {
    expectTypeOf<string>().not.toExtend<LakeKey>();
    expectTypeOf<string>().not.toExtend<LakePrefix>();
    expectTypeOf<string>().not.toExtend<BucketName>();
    expectTypeOf<string>().not.toExtend<RunId>();
    expectTypeOf<string>().not.toExtend<PartitionDate>();
  });

  it('are still strings to read', () => {
    expectTypeOf<LakeKey>().toExtend<string>();
    expectTypeOf<BucketName<'gold'>>().toExtend<string>();
  });

  it('keep keys, prefixes and buckets apart', () => {
    expectTypeOf<LakePrefix>().not.toExtend<LakeKey>();
    expectTypeOf<LakeKey>().not.toExtend<LakePrefix>();
    expectTypeOf<BucketName>().not.toExtend<LakeKey>();
    expectTypeOf<RunId>().not.toExtend<PartitionDate>();
  });

  it('keep zones apart, and widen to any zone', () => {
    expectTypeOf<LakeKey<'silver'>>().not.toExtend<LakeKey<'bronze'>>();
    expectTypeOf<BucketName<'silver'>>().not.toExtend<BucketName<'bronze'>>();
    expectTypeOf<LakeKey<'bronze'>>().toExtend<LakeKey>();
    expectTypeOf<LakeLocation<'bronze'>>().toExtend<LakeLocation>();
    expectTypeOf(bronzeBatchKey).returns.toEqualTypeOf<LakeKey<'bronze'>>();
    expectTypeOf(bronzeRunPrefix).returns.toEqualTypeOf<LakePrefix<'bronze'>>();
  });

  it('pair a bucket only with a key of its own zone', () => {
    const bronze = bucketName({ env: 'dev', zone: 'bronze', accountId: '123456789012' });
    const ref = { source: 'fmp', dataset: 'quotes', dt: '2026-11-25', runId: 'x', part: 0 };
    expectTypeOf(lakeLocation(bronze, bronzeBatchKey(ref))).toEqualTypeOf<LakeLocation<'bronze'>>();
    // @ts-expect-error a silver prefix cannot live in the bronze bucket
    lakeLocation(bronze, silverDatasetPrefix(ref));
    // @ts-expect-error a plain string is not a key
    lakeLocation(bronze, 'source=fmp/dataset=quotes/');
  });
});
