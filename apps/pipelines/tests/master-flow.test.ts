// The platform's main job end to end, as a user runs it: the pipelines CLI on a fresh lake, with
// the fake FMP market, FerretDB as the portfolio database, DuckDB silver and dbt-duckdb gold.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { mongoUri } from '@finks/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReportInBrowser } from '../src/report';

const exec = promisify(execFile);
const workspaceRoot = resolve(import.meta.dirname, '../../..');

interface Result {
  correlationId: string;
  market: string;
  bronze: { source: string; dataset: string; dt: string; rowCount: number; quarantined: number }[];
  silver: {
    dataset: string;
    recordsRead: number;
    valid: number;
    quarantined: number;
    bronzeBatches: number;
    batchesAlreadyCleansed: number;
  }[];
  dbt: { exitCode: number; message: string };
  gold: { rows: Record<string, number>; totalMarketValue: number | null };
}

let dir: string;
let lakeRoot: string;
let result: Result;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finks-master-flow-'));
  lakeRoot = join(dir, 'lake');
  // A config folder of its own, so the run writes to a throwaway lake, not the developer's.
  const local = (await readFile(join(workspaceRoot, 'config/local.yaml'), 'utf8')).replace(
    /root: .*/,
    `root: ${lakeRoot}`,
  );
  await writeFile(join(dir, 'local.yaml'), local);
  result = await runMasterFlow();
}, 660_000);

/** The master flow through the CLI on this file's lake; its JSON result. */
async function runMasterFlow(): Promise<Result> {
  const { stdout } = await exec(
    join(workspaceRoot, 'node_modules/.bin/tsx'),
    [
      join(workspaceRoot, 'apps/pipelines/src/main.ts'),
      'master-flow',
      '--symbols=3',
      '--portfolios=2',
      '--years=2',
      '--as-of=2026-10-30',
      '--json',
    ],
    {
      cwd: workspaceRoot,
      env: {
        ...process.env,
        FINKS_ENV: 'local',
        FINKS_CONFIG_DIR: dir,
        MONGODB_URI: mongoUri(),
        FMP_API_KEY: '',
        PREFECT_API_URL: '',
      },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 600_000,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Result;
}

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('master-flow on embedded defaults', () => {
  it('ingests every FMP dataset and both portfolio collections into bronze', () => {
    expect(result.market).toBe('fake');
    const datasets = new Set(result.bronze.map((m) => `${m.source}.${m.dataset}`));
    for (const id of [
      'fmp.eod_prices',
      'fmp.quotes',
      'fmp.company_profiles',
      'mongodb.portfolios',
      'mongodb.transactions',
    ]) {
      expect(datasets, id).toContain(id);
    }
  });

  it('cleanses every bronze record into silver or quarantine, none lost', () => {
    const bronzeRows = result.bronze.reduce((n, m) => n + m.rowCount, 0);
    const read = result.silver.reduce((n, s) => n + s.recordsRead, 0);
    const accounted = result.silver.reduce((n, s) => n + s.valid + s.quarantined, 0);
    expect(read).toBe(bronzeRows);
    expect(accounted).toBe(read);
  });

  it('builds the gold marts with dbt, its tests passing, stamped with the run id', async () => {
    expect(result.dbt.exitCode).toBe(0);
    for (const mart of ['daily_portfolio_summary', 'monthly_performance', 'var_calculations']) {
      expect(result.gold.rows[mart], mart).toBeGreaterThan(0);
    }
    expect(result.gold.totalMarketValue).toBeGreaterThan(0);

    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const daily = join(
      lakeRoot,
      'finks-local-gold-123456789012',
      'mart=daily_portfolio_summary',
      '**',
      '*.parquet',
    );
    const rows = (
      await connection.runAndReadAll(`select distinct correlation_id from read_parquet('${daily}')`)
    ).getRowObjectsJS();
    connection.closeSync();
    instance.closeSync();
    expect(rows).toEqual([{ correlation_id: result.correlationId }]);
  });

  it('starts dbt while silver is written: the gold build runs on the parse made ahead', async () => {
    // The runner's work dir sits beside the lake (dbt/local); each build has its own run folder,
    // with dbt's debug log. A held build parses first (`cli parse`), then on its go builds on
    // that manifest: one manifest load (`checksum:`) in the log, not one per command.
    const runs = join(dir, 'dbt', 'local', 'runs');
    const builds = (await readdir(runs)).filter((name) => name.endsWith('-build'));
    expect(builds.length).toBeGreaterThan(0);
    for (const build of builds) {
      const log = await readFile(join(runs, build, 'dbt.log'), 'utf8');
      const parsed = log.indexOf('Command `cli parse` succeeded');
      expect(parsed, build).toBeGreaterThan(-1);
      expect(log.indexOf('Command `cli build` succeeded'), build).toBeGreaterThan(parsed);
      expect(log.match(/\]: checksum: /g), build).toHaveLength(1);
    }
  });

  it('writes the HTML run report, which renders in headless Chromium with data in every chart', async () => {
    const check = await checkReportInBrowser(join(dir, 'run-report.html'));
    expect(check.consoleErrors).toEqual([]);
    expect(check.externalRequests).toEqual([]);
    expect(check.charts.length).toBeGreaterThanOrEqual(4);
    for (const chart of check.charts) expect(chart.points, chart.id).toBeGreaterThan(0);
  }, 120_000);

  it('traces the correlation id from a gold row back to the bronze batches it came from', async () => {
    const manifests: { correlationId?: string; runId: string; dataset: string }[] = [];
    const bronze = join(lakeRoot, 'finks-local-bronze-123456789012');
    for (const path of await walk(bronze)) {
      if (path.endsWith('/_manifest.json'))
        manifests.push(JSON.parse(await readFile(path, 'utf8')));
    }
    const ofRun = manifests.filter((m) => m.correlationId === result.correlationId);
    expect(new Set(ofRun.map((m) => m.dataset))).toEqual(
      new Set(result.bronze.map((m) => m.dataset)),
    );

    // Silver rows carry the ingestion run id of their bronze batch: all of them are this run's.
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const silver = join(
      lakeRoot,
      'finks-local-silver-123456789012',
      'source=fmp',
      'dataset=eod_prices',
      '**',
      '*.parquet',
    );
    const runs = (
      await connection.runAndReadAll(
        `select distinct ingestion_run_id as r from read_parquet('${silver}')`,
      )
    ).getRowObjectsJS();
    connection.closeSync();
    instance.closeSync();
    const bronzeRuns = new Set(ofRun.map((m) => m.runId));
    expect(runs.length).toBeGreaterThan(0);
    for (const { r } of runs) expect(bronzeRuns).toContain(r);
  });

  // Last: it runs the flow again on the same lake.
  it('runs again on the same lake and cleanses the batches the new run wrote, plus one an earlier run left', async () => {
    const first = result;
    const left = await leaveAnUncleansedBatch();
    const second = await runMasterFlow();
    expect(second.dbt.exitCode).toBe(0);
    const bronzeRows = second.bronze.reduce((n, m) => n + m.rowCount, 0);
    const read = second.silver.reduce((n, s) => n + s.recordsRead, 0);
    // Both runs write the same UTC day's bronze (unless midnight fell between them), so reading
    // that day's every batch again would count the first run's rows too. The batch left the day
    // before is in the catch-up window and no run has cleansed it.
    expect(read).toBe(bronzeRows + left.rowCount);
    expect(second.silver.reduce((n, s) => n + s.bronzeBatches, 0)).toBe(second.bronze.length + 1);
    const sameDay = first.bronze.some((m) => second.bronze.some((n) => n.dt === m.dt));
    if (sameDay) {
      expect(second.silver.reduce((n, s) => n + s.batchesAlreadyCleansed, 0)).toBe(
        first.bronze.filter((m) => second.bronze.some((n) => n.dt === m.dt)).length,
      );
    }
  }, 660_000);
});

/**
 * A copy of the first run's eod batch as if a run the day before had written it and failed
 * before its silver step: a manifest of its own, no entry in the silver ledger.
 */
async function leaveAnUncleansedBatch(): Promise<{ rowCount: number }> {
  const bronze = join(lakeRoot, 'finks-local-bronze-123456789012');
  const manifestPath = (await walk(bronze)).find((path) =>
    /source=fmp\/dataset=eod_prices\/dt=[^/]+\/run=[^/]+\/_manifest\.json$/.test(path),
  );
  if (manifestPath === undefined) throw new Error('the first run wrote no eod_prices batch');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    dt: string;
    runId: string;
    rowCount: number;
    parts: { key: string }[];
  };
  const day = new Date(`${manifest.dt}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  const dt = day.toISOString().slice(0, 10);
  const runId = `${dt.replaceAll('-', '')}T220000Z-left01`;
  const moved = (key: string) =>
    key.replace(`dt=${manifest.dt}/run=${manifest.runId}/`, `dt=${dt}/run=${runId}/`);
  for (const part of manifest.parts) {
    await mkdir(dirname(join(bronze, moved(part.key))), { recursive: true });
    await copyFile(join(bronze, part.key), join(bronze, moved(part.key)));
  }
  const copy = {
    ...manifest,
    dt,
    runId,
    parts: manifest.parts.map((p) => ({ ...p, key: moved(p.key) })),
  };
  await writeFile(join(bronze, moved(relative(bronze, manifestPath))), JSON.stringify(copy));
  return { rowCount: manifest.rowCount };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out;
}

describe('master-flow without a reachable MongoDB', () => {
  it('writes the demo portfolios to bronze from a snapshot, says so, and still builds gold', async () => {
    const fallbackDir = await mkdtemp(join(tmpdir(), 'finks-master-flow-nomongo-'));
    try {
      const root = join(fallbackDir, 'lake');
      const local = (await readFile(join(workspaceRoot, 'config/local.yaml'), 'utf8')).replace(
        /root: .*/,
        `root: ${root}`,
      );
      await writeFile(join(fallbackDir, 'local.yaml'), local);
      const { stdout } = await exec(
        join(workspaceRoot, 'node_modules/.bin/tsx'),
        [
          join(workspaceRoot, 'apps/pipelines/src/main.ts'),
          'master-flow',
          '--symbols=2',
          '--portfolios=1',
          '--years=1',
          '--as-of=2026-10-30',
        ],
        {
          cwd: workspaceRoot,
          env: {
            ...process.env,
            FINKS_ENV: 'local',
            FINKS_CONFIG_DIR: fallbackDir,
            // Nothing listens on port 9: the database is unreachable.
            MONGODB_URI: 'mongodb://127.0.0.1:9/',
            FMP_API_KEY: '',
            PREFECT_API_URL: '',
          },
          maxBuffer: 64 * 1024 * 1024,
          timeout: 600_000,
        },
      );
      expect(stdout).toMatch(
        /MongoDB is not reachable: the demo portfolios .* go to bronze from the snapshot/,
      );
      const manifests = (await walk(join(root, 'finks-local-bronze-123456789012'))).filter((p) =>
        p.endsWith('/_manifest.json'),
      );
      const datasets = await Promise.all(
        manifests.map(
          async (p) =>
            JSON.parse(await readFile(p, 'utf8')) as { dataset: string; rowCount: number },
        ),
      );
      expect(datasets.find((m) => m.dataset === 'transactions')?.rowCount).toBeGreaterThan(0);
      expect(datasets.find((m) => m.dataset === 'portfolios')?.rowCount).toBe(1);
      expect(stdout).toMatch(/gold rows\s+[1-9]/);
    } finally {
      await rm(fallbackDir, { recursive: true, force: true });
    }
  }, 660_000);
});
