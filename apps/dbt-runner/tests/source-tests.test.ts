// The silver sources' generated tests on a lake whose silver breaks them: the one
// `not_null_columns` test per table must find every required column that holds a null.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { localTargetEnvironment } from '../src/dbt/target-environment';
import { EXIT_CODES } from '../src/exit-code';
import type { LocalLake } from '../src/lake/local-lake';
import { runDbt } from '../src/runner';
import { FIXTURE } from '../src/testing/fixture';
import { syntheticSilver, type SilverRow } from '../src/testing/synthetic-silver';
import { writeSyntheticSilver } from '../src/testing/write-silver';

describe('source tests on silver', () => {
  it('fail on nulls in required columns, one result per column that has them', async () => {
    const root = await mkdtemp(join(tmpdir(), 'finks-source-tests-'));
    const lake: LocalLake = {
      lakeRoot: join(root, 'lake'),
      env: 'local',
      accountId: '123456789012',
    };
    const silver = syntheticSilver(FIXTURE);
    const prices = [...(silver.tables['fmp.eod_prices'] ?? [])];
    // Two required columns missing on one row, one of them on a second row too.
    const [first, second] = prices;
    if (!first || !second) throw new Error('the fixture has no eod prices');
    const { close: _close, volume: _volume, ...withoutTwo } = first;
    const { close: _alsoClose, ...withoutClose } = second;
    prices.splice(0, 2, withoutTwo as SilverRow, withoutClose as SilverRow);
    await writeSyntheticSilver(
      lake,
      { ...silver, tables: { ...silver.tables, 'fmp.eod_prices': prices } },
      join(root, 'scratch'),
    );

    const chunks: string[] = [];
    const outcome = await runDbt({
      command: 'test',
      env: 'local',
      environment: localTargetEnvironment({
        lake,
        duckdbPath: join(root, 'work', 'finks.duckdb'),
        exportGold: false,
      }),
      select: ['source:fmp.eod_prices', 'source:fmp.quotes'],
      targetPath: join(root, 'work', 'run'),
      log: new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk.toString());
          done();
        },
      }),
    });
    const log = chunks.join('');
    expect(outcome.exitCode).toBe(EXIT_CODES.nodesFailed);
    expect(outcome.message).toMatch(
      /1 node\(s\) failed: test source_not_null_columns_fmp_eod_prices/,
    );
    // dbt reports the failing rows: close and volume, not the columns that are whole.
    expect(log).toMatch(
      /Failure in test source_not_null_columns_fmp_eod_prices[^\n]*\n[^\n]*Got 2 results/,
    );
    // The quotes table is untouched: its test passes.
    expect(log).toMatch(/PASS source_not_null_columns_fmp_quotes/);
  });
});
