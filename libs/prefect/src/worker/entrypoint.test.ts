import { describe, expect, it } from 'vitest';
import { splitEntrypoint } from './entrypoint';

describe('splitEntrypoint', () => {
  it('splits Prefect-style file:export entrypoints', () => {
    expect(splitEntrypoint('flows/prices.ts:dailyPrices')).toEqual({
      file: 'flows/prices.ts',
      exportName: 'dailyPrices',
    });
    expect(splitEntrypoint('flows/prices.ts')).toEqual({
      file: 'flows/prices.ts',
      exportName: undefined,
    });
    expect(splitEntrypoint('C:/flows/prices.ts')).toEqual({
      file: 'C:/flows/prices.ts',
      exportName: undefined,
    });
  });
});
