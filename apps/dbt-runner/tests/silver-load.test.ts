import { mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, inject, it } from 'vitest';
import { parseCacheDirFor } from '../src/dbt/parse-cache';
import { localTargetEnvironment } from '../src/dbt/target-environment';
import { runDbt } from '../src/runner';
import { queryDuckdbFile } from './query-duckdb-file';

const build = inject('dbtBuild');

describe('silver on the local target', () => {
  it('is loaded once into DuckDB tables that hold every Parquet row', async () => {
    const silverRoot = localTargetEnvironment({ lake: build.lake, duckdbPath: '' }).runEnv[
      'FINKS_SILVER_ROOT'
    ];
    const [row = {}] = await queryDuckdbFile(
      join(build.workDir, 'finks.duckdb'),
      `select
         (select count(*) from silver.fmp_eod_prices)::integer as loaded,
         (select count(*) from read_parquet('${silverRoot}/source=fmp/dataset=eod_prices/**/*.parquet'))::integer as parquet,
         (select count(*) from silver.mongodb_transactions)::integer as loaded_transactions,
         (select count(*) from duckdb_tables() where schema_name = 'silver')::integer as tables`,
    );
    expect(row['loaded']).toBeGreaterThan(0);
    expect(row['loaded']).toBe(row['parquet']);
    expect(row['loaded_transactions']).toBeGreaterThan(0);
    expect(row['tables']).toBeGreaterThanOrEqual(9);
  });

  it('keeps dbt from re-reading Parquet: staging selects from the loaded table', async () => {
    const log = await readFile(build.logPath, 'utf8');
    expect(log).toMatch(/OK hook: finks\.on-run-start/);
    const outcome = JSON.parse(build.outcomeJson) as {
      artifacts: { file: string; location: string }[];
    };
    const manifestPath = outcome.artifacts.find((a) => a.file === 'manifest.json')?.location ?? '';
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      sources: Record<string, { relation_name: string }>;
    };
    expect(manifest.sources['source.finks.fmp.eod_prices']?.relation_name).toBe(
      '"finks"."silver"."fmp_eod_prices"',
    );
  });
});

describe('the parse cache', () => {
  it('serves the next run on another lake and work dir, which still reads its own lake', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'finks-dbt-parse-cache-'));
    // The same silver under another path: only a run that reads the lake while running finds it.
    const otherRoot = join(scratch, 'other-lake');
    await symlink(build.lake.lakeRoot, otherRoot);
    const lakes = [build.lake, { ...build.lake, lakeRoot: otherRoot }];
    const environments = lakes.map((lake, index) =>
      localTargetEnvironment({
        lake,
        duckdbPath: join(scratch, `work-${index}`, 'finks.duckdb'),
        exportGold: false,
      }),
    );
    expect(parseCacheDirFor(environments[0]!)).toBe(parseCacheDirFor(environments[1]!));
    // A private cache folder: the project's own is shared with the other tests running now.
    const cacheDir = join(scratch, 'cache');
    const logs: string[] = [];
    for (const [index, environment] of environments.entries()) {
      const chunks: string[] = [];
      const targetPath = join(scratch, `work-${index}`, 'run');
      const outcome = await runDbt({
        command: 'run',
        env: 'local',
        environment,
        select: ['stg_fmp__quotes'],
        targetPath,
        parseCacheDir: cacheDir,
        correlationId: `parse-cache-${index}`,
        log: new Writable({
          write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk.toString());
            done();
          },
        }),
      });
      expect(outcome.exitCode).toBe(0);
      logs.push(chunks.join(''));
      // dbt's debug log holds the SQL load_silver ran: this run's lake, not the cached one's.
      const debugLog = await readFile(join(targetPath, 'dbt.log'), 'utf8');
      expect(debugLog).toContain(
        `read_parquet('${lakes[index]!.lakeRoot}/finks-local-silver-123456789012/source=fmp/dataset=quotes/`,
      );
    }
    expect(logs[0]).toMatch(/Unable to do partial parsing because saved manifest not found/);
    expect(logs[1]).not.toMatch(/Unable to do partial parsing/);
  });

  it('is kept apart per schema, which dbt does not check', () => {
    const environment = (schema?: string) =>
      localTargetEnvironment({
        lake: build.lake,
        duckdbPath: '/tmp/finks.duckdb',
        ...(schema ? { schema } : {}),
      });
    expect(parseCacheDirFor(environment('ci_pr_7'))).not.toBe(parseCacheDirFor(environment()));
    expect(parseCacheDirFor(environment())).toContain(join('dbt', 'target', 'parse-cache'));
  });
});
