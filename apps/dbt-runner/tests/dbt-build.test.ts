import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import {
  bucketName,
  dbtArtifactKey,
  dbtLatestArtifactKey,
  lakeLocation,
  toLocalPath,
} from '@finks/lake-paths';
import { GOLD_MARTS, localGoldMartFile } from '../src/lake/local-lake';
import type { DbtRunOutcome } from '../src/runner';
import { queryRows } from './read-parquet';

const build = inject('dbtBuild');
const outcome = JSON.parse(build.outcomeJson) as DbtRunOutcome;

const artifactPath = (key: string) =>
  toLocalPath(
    lakeLocation(
      bucketName({ env: 'local', zone: 'artifacts', accountId: build.lake.accountId }),
      key as never,
    ),
    build.lake.lakeRoot,
  );

describe('a real dbt build (dbt-duckdb) on the generated lake', () => {
  it('passes every model, snapshot, data test and unit test', () => {
    expect(outcome.message).toMatch(/nodes ok/);
    expect(outcome.exitCode).toBe(0);
    const summary = outcome.summary;
    expect(summary?.failed).toEqual([]);
    const types = new Set(summary?.nodes.map((node) => node.resourceType));
    // operation: the on-run-start hook that loads silver (macros/load_silver.sql).
    expect([...types].sort()).toEqual(['model', 'operation', 'snapshot', 'test', 'unit_test']);
    expect(summary?.nodes.filter((node) => node.resourceType === 'model')).toHaveLength(16);
    // Returns, TWR and VaR (marts) with and without unpriced holdings, positions, TTM
    // fundamentals, and the staging dedupe (latest fetch, latest version).
    expect(
      summary?.nodes
        .filter((node) => node.resourceType === 'unit_test')
        .map((node) => node.name)
        .sort(),
    ).toEqual([
      'daily_portfolio_summary.an_unpriced_holding_leaves_the_day_unvalued',
      'daily_portfolio_summary.daily_return_has_no_jump_across_a_split',
      'daily_portfolio_summary.daily_return_is_pnl_net_of_flows_over_previous_value',
      'int_fundamentals.ttm_needs_four_consecutive_quarters',
      'int_fundamentals.ttm_of_a_measure_needs_it_in_every_quarter',
      'int_positions_daily.a_position_starts_on_its_first_trade',
      'int_positions_daily.a_split_announced_after_the_fetch_changes_no_holdings',
      'int_positions_daily.positions_across_a_split_are_on_the_closes_basis',
      'monthly_performance.a_month_with_an_unvalued_day_has_no_twr',
      'monthly_performance.monthly_twr_compounds_daily_returns',
      'stg_fmp__eod_prices.eod_prices_keep_the_latest_fetch_of_a_day',
      'stg_mongo__portfolios.portfolios_keep_the_latest_version_then_the_latest_fetch',
      'var_calculations.historical_var_interpolates_and_waits_for_a_full_window',
    ]);
  });

  it('writes each mart as Parquet into its mart= folder of the gold zone', async () => {
    for (const mart of GOLD_MARTS) {
      const file = localGoldMartFile(build.lake, mart);
      expect(file).toContain(`/mart=${mart}/`);
      expect(existsSync(file), file).toBe(true);
      const [row] = await queryRows(`select count(*)::integer as n from read_parquet('${file}')`);
      expect(Number(row?.['n'])).toBeGreaterThan(0);
    }
  });

  it('knows every mart the project builds (GOLD_MARTS matches the manifest)', () => {
    const manifest = JSON.parse(
      readFileSync(join(outcome.artifacts[0]?.location ?? ''), 'utf8'),
    ) as {
      nodes: Record<string, { resource_type: string; name: string; fqn: string[] }>;
    };
    const marts = Object.values(manifest.nodes)
      .filter((node) => node.resource_type === 'model' && node.fqn[1] === 'marts')
      .map((node) => node.name)
      .sort();
    expect(marts).toEqual([...GOLD_MARTS].sort());
  });

  it('uploads manifest.json and run_results.json under lake-paths keys, and latest/', () => {
    const invocationId = outcome.summary?.invocationId ?? '';
    for (const artifact of ['manifest.json', 'run_results.json'] as const) {
      expect(
        existsSync(artifactPath(dbtArtifactKey({ env: 'local', invocationId, artifact }))),
      ).toBe(true);
      expect(existsSync(artifactPath(dbtLatestArtifactKey({ env: 'local', artifact })))).toBe(true);
    }
    expect(outcome.artifacts.map((artifact) => artifact.key)).toContain(
      dbtArtifactKey({ env: 'local', invocationId, artifact: 'manifest.json' }),
    );
  });

  it('passes the correlation id into query comments', () => {
    const manifest = readFileSync(
      artifactPath(dbtLatestArtifactKey({ env: 'local', artifact: 'manifest.json' })),
      'utf8',
    );
    expect(manifest).toContain(build.correlationId);
  });
});
