import { CONTRACTS } from '@finks/contracts';
import { describe, expect, it } from 'vitest';
import { FAKE_MARKET_FMP_LANES } from './fmp-lanes';

describe('the FMP connector lanes of a fake-market run', () => {
  it('ingest every FMP dataset exactly once', () => {
    const laned = FAKE_MARKET_FMP_LANES.flatMap((lane) => lane.datasets ?? []);
    const fmp = CONTRACTS.filter((c) => c.source === 'fmp').map((c) => c.dataset);
    expect([...laned].sort()).toEqual([...fmp].sort());
    expect(new Set(laned).size).toBe(laned.length);
  });

  it('keep splits with eod_prices, whose plan reads the bookmarks splits move', () => {
    const lane = FAKE_MARKET_FMP_LANES.find((l) => l.datasets?.includes('eod_prices'));
    expect(lane?.datasets).toContain('splits');
    expect(new Set(FAKE_MARKET_FMP_LANES.map((l) => l.step)).size).toBe(
      FAKE_MARKET_FMP_LANES.length,
    );
  });
});
