import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../src/app-root';
import { localTargetEnvironment } from '../src/dbt/target-environment';
import { runDbt } from '../src/runner';

const build = inject('dbtBuild');
const execFileAsync = promisify(execFile);

/**
 * One row of a query on dbt's DuckDB file, read with dbt's own DuckDB (the venv's Python): the
 * file format is newer than the one @duckdb/node-api reads.
 */
async function queryDatabase(path: string, sql: string): Promise<Record<string, unknown>> {
  const script = [
    'import duckdb, json, sys',
    'connection = duckdb.connect(sys.argv[1], read_only=True)',
    'cursor = connection.execute(sys.argv[2])',
    'names = [column[0] for column in cursor.description]',
    'print(json.dumps(dict(zip(names, cursor.fetchone()))))',
  ].join('\n');
  const { stdout } = await execFileAsync(join(REPO_ROOT, '.venv', 'bin', 'python'), [
    '-c',
    script,
    path,
    sql,
  ]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('silver on the local target', () => {
  it('is loaded once into DuckDB tables that hold every Parquet row', async () => {
    const silverRoot = localTargetEnvironment({ lake: build.lake, duckdbPath: '' }).vars[
      'silver_root'
    ] as string;
    const row = await queryDatabase(
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
  it('lets the next run skip parsing even when the correlation id changes', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'finks-dbt-parse-cache-'));
    const environment = localTargetEnvironment({
      lake: build.lake,
      duckdbPath: join(workDir, 'finks.duckdb'),
      exportGold: false,
    });
    const logs: string[] = [];
    for (const correlationId of ['parse-cache-1', 'parse-cache-2']) {
      const chunks: string[] = [];
      const outcome = await runDbt({
        command: 'compile',
        env: 'local',
        environment,
        select: ['stg_fmp__quotes'],
        targetPath: join(workDir, 'runs', correlationId),
        parseCacheDir: workDir,
        correlationId,
        log: new Writable({
          write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk.toString());
            done();
          },
        }),
      });
      expect(outcome.exitCode).toBe(0);
      logs.push(chunks.join(''));
    }
    expect(logs[0]).toMatch(/Unable to do partial parsing because saved manifest not found/);
    expect(logs[1]).not.toMatch(/Unable to do partial parsing/);
  });
});
