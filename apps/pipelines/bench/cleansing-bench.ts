// npx tsx apps/pipelines/bench/cleansing-bench.ts — bronze → silver alone, on a generated
// `fmp.eod_prices` bronze (no master flow, no FerretDB): the DuckDB cleansing into an empty
// silver, then again over the silver it wrote (the merge path of a rerun), and optionally the
// PySpark Glue script on the same input. Prints rows/s against issue #7's targets.
// Flags: --symbols (100) --years (10) --bad-every (1000; 0: all records valid) --spark
// --keep <folder> (reuse / keep the generated bronze there) --what-if (typed-bronze-what-if.ts).
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { findContractById } from '@finks/contracts';
import { bucketName, runId, silverDatasetPrefix } from '@finks/lake-paths';
import { workspaceRoot } from '../src/master-flow/app-commands';
import { bronzeToSilver } from '../src/transformation/bronze-to-silver/bronze-to-silver';
import { printCleansingCeiling } from './cleansing-ceiling';
import { phasesLine } from './cleansing-phases';
import { printTypedBronzeWhatIf } from './typed-bronze-what-if';
import { writeSyntheticEodBronze } from '../src/transformation/bronze-to-silver/testing/synthetic-bronze';

const exec = promisify(execFile);
const { values } = parseArgs({
  options: {
    symbols: { type: 'string', default: '100' },
    years: { type: 'string', default: '10' },
    'bad-every': { type: 'string', default: '1000' },
    spark: { type: 'boolean', default: false },
    keep: { type: 'string' },
    'what-if': { type: 'boolean', default: false },
  },
});

function positiveInteger(flag: string, text: string | undefined, allowZero = false): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new Error(
      `--${flag} must be a whole number ${allowZero ? '≥ 0' : '≥ 1'}, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const DT = '2026-11-25';
const BRONZE_RUN = '20261125T220000Z-bench0';
const bucket = (root: string, zone: 'bronze' | 'silver' | 'quarantine') =>
  join(root, bucketName({ env: 'local', zone, accountId: '123456789012' }));

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function main(): Promise<void> {
  const symbols = positiveInteger('symbols', values.symbols);
  const years = positiveInteger('years', values.years);
  const badEvery = positiveInteger('bad-every', values['bad-every'], true);
  const dir = values.keep ?? (await mkdtemp(join(tmpdir(), 'finks-cleansing-bench-')));
  const bronzeRoot = join(dir, 'bronze-lake');
  try {
    let t = performance.now();
    if (!(await exists(bucket(bronzeRoot, 'bronze')))) {
      const records = await writeSyntheticEodBronze({
        lakeRoot: bronzeRoot,
        symbols,
        years,
        badEvery,
        dt: DT,
        runId: BRONZE_RUN,
      });
      console.log(
        `generated ${fmt(records)} eod records (${symbols} symbols × ${years} y, 1 bad in ${badEvery || '∞'}) in ${fmt((performance.now() - t) / 1000, 1)} s`,
      );
    } else console.log(`reusing the bronze in ${bronzeRoot}`);

    const duckRoot = join(dir, 'duckdb');
    await rm(duckRoot, { recursive: true, force: true });
    await cp(bucket(bronzeRoot, 'bronze'), bucket(duckRoot, 'bronze'), { recursive: true });
    let rows = 0;
    let duckRate = 0;
    for (const pass of ['into empty silver', 'rerun, merged with silver']) {
      t = performance.now();
      const cpuBefore = process.cpuUsage();
      const [summary] = await bronzeToSilver({
        lakeRoot: duckRoot,
        datasets: ['fmp.eod_prices'],
        dates: [DT],
        runId: runId(new Date()),
      });
      const seconds = (performance.now() - t) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      rows = summary?.recordsRead ?? 0;
      const rate = rows / seconds;
      if (duckRate === 0) duckRate = rate;
      console.log(
        `DuckDB ${pass.padEnd(26)} ${fmt(seconds, 2).padStart(7)} s  ${fmt(rate).padStart(10)} rows/s  (target ≥ 1,000,000: ${rate >= 1e6 ? 'PASS' : 'FAIL'})`,
      );
      // CPU time (all threads) says more than wall time when other work shares the cores.
      console.log(
        `       ${''.padEnd(26)} ${fmt(cpuSeconds, 2).padStart(7)} CPU s (${fmt(rows / cpuSeconds)} rows per CPU s); ${fmt(rows)} read, ${fmt(summary?.valid ?? 0)} valid, ${fmt(summary?.quarantined ?? 0)} quarantined, ${fmt(summary?.silverPartitions.length ?? 0)} partitions`,
      );
      if (summary) console.log(`       ${''.padEnd(26)} ${phasesLine(summary)}`);
    }
    const silverTable = join(
      bucket(duckRoot, 'silver'),
      silverDatasetPrefix({ source: 'fmp', dataset: 'eod_prices' }),
    );
    await printCleansingCeiling({
      lakeRoot: duckRoot,
      contract: findContractById('fmp.eod_prices'),
      dates: [DT],
      silverTable,
      targetRowsPerSecond: 1e6,
    });
    if (values['what-if']) await printTypedBronzeWhatIf(silverTable);

    if (values.spark) {
      const sparkRoot = join(dir, 'spark');
      await rm(sparkRoot, { recursive: true, force: true });
      await cp(bucket(bronzeRoot, 'bronze'), bucket(sparkRoot, 'bronze'), { recursive: true });
      t = performance.now();
      await exec(
        join(workspaceRoot, '.venv/bin/python'),
        [
          join(workspaceRoot, 'apps/pipelines/glue_scripts/cleanse_market_data.py'),
          '--dataset=fmp.eod_prices',
          `--dates=${DT}`,
          `--run_id=${runId(new Date())}`,
          `--contracts=${join(workspaceRoot, 'libs/contracts/generated/contracts.json')}`,
          `--bronze_root=${bucket(sparkRoot, 'bronze')}`,
          `--silver_root=${bucket(sparkRoot, 'silver')}`,
          `--quarantine_root=${bucket(sparkRoot, 'quarantine')}`,
        ],
        {
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, PYSPARK_PYTHON: join(workspaceRoot, '.venv/bin/python') },
        },
      );
      const seconds = (performance.now() - t) / 1000;
      const rate = rows / seconds;
      console.log(
        `PySpark into empty silver       ${fmt(seconds, 2).padStart(7)} s  ${fmt(rate).padStart(10)} rows/s  (local[*], JVM start-up included)`,
      );
      console.log(
        `DuckDB / PySpark: ${fmt(duckRate / rate, 1)}×  (target ≥ 5×: ${duckRate / rate >= 5 ? 'PASS' : 'FAIL'})`,
      );
    }
  } finally {
    if (values.keep === undefined) await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`cleansing bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
