import { CONTRACTS } from '@finks/contracts';

/**
 * The FMP connector against the fake market as two processes at once. The fake's rate limit does
 * not bind (a bench lifts it), so one process's CPU — parsing, validating, re-serialising — is
 * the limit and the other core idles. The price datasets stay together and in order: the
 * connector ingests splits before eod_prices, whose plan reads their bookmarks. A real FMP plan's
 * rate binds instead; there one connector uses it best.
 */
const FMP_PRICE_DATASETS = ['quotes', 'splits', 'eod_prices'] as const;
export const FAKE_MARKET_FMP_LANES: readonly {
  readonly step: string;
  readonly datasets?: readonly string[];
}[] = [
  { step: 'ingestion-fmp prices', datasets: FMP_PRICE_DATASETS },
  {
    step: 'ingestion-fmp fundamentals and news',
    datasets: CONTRACTS.filter(
      (c) => c.source === 'fmp' && !(FMP_PRICE_DATASETS as readonly string[]).includes(c.dataset),
    ).map((c) => c.dataset),
  },
];
