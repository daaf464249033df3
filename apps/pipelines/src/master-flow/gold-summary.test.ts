// The run summary's portfolio value: the latest day's total over all portfolios, or none when a
// portfolio has no value that day (the mart leaves it null for a holding with no close).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { describeTotalValue, martFolder, readGoldSummary } from './gold-summary';
import type { LocalLakeTarget } from './local-lake-target';
import { readReportData } from '../report/report-data';
import { masterFlowResultFixture } from '../../tests/report/gold-fixture';

let root: string | undefined;

afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** A lake whose daily_portfolio_summary holds `rows` (portfolio, day, value or null). */
async function lakeWith(
  rows: readonly [string, string, number | null][],
): Promise<LocalLakeTarget> {
  root = await mkdtemp(join(tmpdir(), 'finks-gold-summary-'));
  const lake: LocalLakeTarget = { root, env: 'local', accountId: '123456789012' };
  const folder = martFolder(lake, 'daily_portfolio_summary');
  await mkdir(folder, { recursive: true });
  const values = rows
    .map(
      ([id, day, value]) =>
        `('${id}', DATE '${day}', ${value === null ? 'NULL' : value}::DOUBLE, ${value === null ? 1 : 0}, NULL::DOUBLE, NULL::DOUBLE)`,
    )
    .join(', ');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT * FROM (VALUES ${values}) AS t(portfolio_id, trade_date, market_value, unpriced_holdings, previous_market_value, daily_pnl))
     TO '${join(folder, 'part-0.parquet')}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
  return lake;
}

describe('readGoldSummary', () => {
  it("totals the latest day's value over every portfolio", async () => {
    const gold = await readGoldSummary(
      await lakeWith([
        ['p1', '2026-11-25', 90],
        ['p1', '2026-11-26', 100],
        ['p2', '2026-11-26', 50],
      ]),
    );
    expect(gold).toMatchObject({
      latestDate: '2026-11-26',
      totalMarketValue: 150,
      unvaluedPortfolios: 0,
    });
    expect(describeTotalValue(gold, String)).toBe('150 (all portfolios)');
  });

  it('gives no total when a portfolio has no value that day, and says why', async () => {
    const gold = await readGoldSummary(
      await lakeWith([
        ['p1', '2026-11-26', 100],
        ['p2', '2026-11-26', null],
      ]),
    );
    expect(gold).toMatchObject({ totalMarketValue: null, unvaluedPortfolios: 1 });
    expect(describeTotalValue(gold, String)).toMatch(
      /^unknown: 1 portfolio\(s\) hold a security with no close/,
    );
  });
});

describe("the run report's total value", () => {
  it('has no point on a day a portfolio has no value, rather than a drop', async () => {
    const lake = await lakeWith([
      ['p1', '2026-11-25', 100],
      ['p2', '2026-11-25', 50],
      ['p1', '2026-11-26', 101],
      ['p2', '2026-11-26', null],
    ]);
    const data = await readReportData({ lake, result: masterFlowResultFixture() });
    expect(data.totalValue).toEqual([['2026-11-25', 150]]);
  });
});
