import type { SyntheticSilverOptions } from './synthetic-silver';

/** The correctness fixture of issue #4: 3 portfolios, 10 symbols, 300 trading days. */
export const FIXTURE: SyntheticSilverOptions = {
  symbols: 10,
  tradingDays: 300,
  portfolios: 3,
  seed: 20_240_101,
  startDate: '2024-01-01',
};
