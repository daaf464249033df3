// npx nx run pipelines:bench — the figures issue #7 asks for:
//  1. the local master flow on 10 years × 500 symbols × 50 portfolios (fake market, rate limit
//     lifted): wall time and peak RSS (this process and its children) per stage;
//  2. bronze → silver on the same bronze input, in the same run: DuckDB (bronzeToSilver) and the
//     PySpark Glue script on plain Spark, rows/s each and the ratio.
// Flags: --symbols --portfolios --years (defaults 500, 50, 10), --dataset (fmp.eod_prices),
// --skip-spark, --keep <folder> (keep the lake there to look into it afterwards: dbt's
// target/run_results.json, the silver files). Needs FerretDB (MONGODB_URI, else the project's, started here).
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { findContractById } from '@finks/contracts';
import { bucketName, runId, silverDatasetPrefix } from '@finks/lake-paths';
import { workspaceRoot } from '../src/master-flow/app-commands';
import { lastCloseDay, masterFlow } from '../src/master-flow/master-flow';
import { resolveMongodbUri } from '../src/master-flow/mongodb-source';
import type { Progress } from '../src/master-flow/progress';
import { bronzeToSilver } from '../src/transformation/bronze-to-silver/bronze-to-silver';
import { printCleansingCeiling } from './cleansing-ceiling';
import { phasesLine } from './cleansing-phases';
import { machineBusySeconds, machineCores } from './machine-cpu';
import { cpuByProcessSampler } from './process-tree-cpu';
import { rssSampler } from './process-tree-rss';

const exec = promisify(execFile);
const { values } = parseArgs({
  options: {
    symbols: { type: 'string', default: '500' },
    portfolios: { type: 'string', default: '50' },
    years: { type: 'string', default: '10' },
    dataset: { type: 'string', default: 'fmp.eod_prices' },
    'skip-spark': { type: 'boolean', default: false },
    keep: { type: 'string' },
  },
});
const MB = 1024 * 1024;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

interface StageFigure {
  readonly stage: string;
  readonly seconds: number;
  readonly peakRssMb: number;
  /** The machine's busy CPU seconds over the stage (see machine-cpu.ts). */
  readonly cpuSeconds: number;
  /** CPU seconds of this process tree by what each process runs (see process-tree-cpu.ts). */
  readonly cpuByProcess: readonly [string, number][];
}

/** A Progress that closes a stage's figures when the next one starts. */
function measuringProgress(figures: StageFigure[], servicePids: readonly number[]) {
  const sampler = rssSampler(100);
  const cpu = cpuByProcessSampler(500, [process.pid, ...servicePids]);
  let current: { stage: string; started: number; cpu: number } | null = null;
  const close = () => {
    if (!current) return;
    figures.push({
      stage: current.stage,
      seconds: (performance.now() - current.started) / 1000,
      peakRssMb: sampler.peak() / MB,
      cpuSeconds: machineBusySeconds() - current.cpu,
      cpuByProcess: cpu.byLabel(),
    });
  };
  const progress: Progress = {
    stage(name) {
      close();
      sampler.reset();
      cpu.reset();
      current = { stage: name, started: performance.now(), cpu: machineBusySeconds() };
    },
    note(text) {
      console.log(`    ${text}`);
    },
  };
  return { progress, finish: () => (close(), sampler.stop(), cpu.stop()) };
}

/** FerretDB's pid when services.sh started it: it runs on its own, outside this process tree. */
async function ferretdbPid(): Promise<number[]> {
  const runDir = process.env['FINKS_RUN_DIR'] ?? join(workspaceRoot, '.finks/run');
  const line = await readFile(join(runDir, 'ferretdb.pid'), 'utf8').catch(() => '');
  const pid = Number(line.trim().split(/\s+/)[0]);
  return Number.isInteger(pid) && pid > 0 ? [pid] : [];
}

async function main(): Promise<void> {
  const symbols = Number(values.symbols);
  const portfolios = Number(values.portfolios);
  const years = Number(values.years);
  const keep = values.keep;
  if (keep !== undefined) await mkdir(keep, { recursive: true });
  const dir = keep ?? (await mkdtemp(join(tmpdir(), 'finks-pipelines-bench-')));
  const lakeRoot = join(dir, 'lake');
  const local = (await readFile(join(workspaceRoot, 'config/local.yaml'), 'utf8')).replace(
    /root: .*/,
    `root: ${lakeRoot}`,
  );
  await writeFile(join(dir, 'local.yaml'), local);
  process.env['FINKS_CONFIG_DIR'] = dir;
  delete process.env['PREFECT_API_URL'];
  delete process.env['FMP_API_KEY'];
  const mongodbUri = await resolveMongodbUri(process.env['MONGODB_URI']);
  if (!mongodbUri)
    throw new Error('the bench loads its portfolios through MongoDB: FerretDB did not start');
  process.env['MONGODB_URI'] = mongodbUri;

  try {
    const asOf = lastCloseDay();
    const from = new Date(`${asOf}T00:00:00Z`);
    from.setUTCFullYear(from.getUTCFullYear() - years);
    console.log(
      `pipelines bench: master flow on ${years} y × ${symbols} symbols × ${portfolios} portfolios`,
    );
    const figures: StageFigure[] = [];
    const { progress, finish } = measuringProgress(figures, await ferretdbPid());
    const started = performance.now();
    const result = await masterFlow(progress)({
      env: 'local',
      lakeRoot,
      symbols,
      portfolios,
      from: from.toISOString().slice(0, 10),
      asOf,
      // A database of its own per run: the bench measures a full load, not an increment.
      mongodbDatabase: `finks_bench_${Date.now().toString(36)}`,
      fakeMarketCallsPerMinute: 1_000_000,
    });
    finish();
    const total = (performance.now() - started) / 1000;

    console.log('\n1. master flow, per stage (peak RSS: this process and its children)');
    console.log(
      `   stage      wall s   peak RSS MB   machine CPU s   cores busy (of ${machineCores})`,
    );
    for (const f of figures) {
      console.log(
        `   ${f.stage.padEnd(9)} ${fmt(f.seconds, 1).padStart(7)}   ${fmt(f.peakRssMb).padStart(11)}   ${fmt(f.cpuSeconds, 1).padStart(13)}   ${fmt(f.cpuSeconds / f.seconds, 2).padStart(10)}`,
      );
    }
    const bronzeRows = result.bronze.reduce((n, m) => n + m.rowCount, 0);
    const silverRows = result.silver.reduce((n, s) => n + s.valid, 0);
    console.log(
      `   total     ${fmt(total, 1).padStart(7)} s  (target < 60 s on 2 cores: ${verdict(total < 60)})`,
    );
    console.log(
      `   bronze rows ${fmt(bronzeRows)}, silver rows ${fmt(silverRows)}, dbt: ${result.dbt.message}`,
    );
    // What the flow itself spent, apart from whatever else the machine ran: on a busy machine the
    // wall time says more about the neighbours than the flow, this does not.
    const flowCpu = figures.reduce(
      (sum, f) => sum + f.cpuByProcess.reduce((stage, [, seconds]) => stage + seconds, 0),
      0,
    );
    const machineCpu = figures.reduce((sum, f) => sum + f.cpuSeconds, 0);
    console.log(
      `   CPU s: the flow's processes ${fmt(flowCpu, 1)} (sampled), the machine ${fmt(machineCpu, 1)}; ` +
        `the flow's own CPU needs ≥ ${fmt(flowCpu / machineCores, 1)} s on ${machineCores} cores`,
    );
    console.log('   CPU s by process (this process tree, sampled every 0.5 s; ≥ 0.5 s shown):');
    for (const f of figures) {
      const shown = f.cpuByProcess.filter(([, seconds]) => seconds >= 0.5);
      console.log(
        `   ${f.stage.padEnd(9)} ${shown.map(([label, seconds]) => `${label} ${fmt(seconds, 1)}`).join('; ')}`,
      );
    }

    // 2. The same bronze, cleansed by each engine into a lake of its own.
    const dataset = values.dataset;
    const bronzeBucket = bucketName({ env: 'local', zone: 'bronze', accountId: '123456789012' });
    const dates = [...new Set(result.bronze.map((m) => m.dt))].sort();
    const engineLake = async (name: string) => {
      const root = join(dir, name);
      await cp(join(lakeRoot, bronzeBucket), join(root, bronzeBucket), { recursive: true });
      return root;
    };
    const duckRoot = await engineLake('duckdb');
    let t = performance.now();
    const cpuBefore = process.cpuUsage();
    const [duck] = await bronzeToSilver({
      lakeRoot: duckRoot,
      datasets: [dataset],
      dates,
      runId: runId(new Date()),
    });
    const duckSeconds = (performance.now() - t) / 1000;
    const duckCpu = process.cpuUsage(cpuBefore);
    const duckCpuSeconds = (duckCpu.user + duckCpu.system) / 1e6;
    const rows = duck?.recordsRead ?? 0;
    const duckRate = rows / duckSeconds;
    console.log(`\n2. bronze → silver, ${dataset}: ${fmt(rows)} bronze records`);
    console.log(
      `   DuckDB   ${fmt(duckSeconds, 2).padStart(7)} s  ${fmt(duckRate).padStart(11)} rows/s  (target ≥ 1,000,000: ${verdict(duckRate >= 1e6)})`,
    );
    // CPU time of all threads: on a shared machine it says more than wall time does.
    console.log(
      `            ${fmt(duckCpuSeconds, 2).padStart(7)} CPU s  ${fmt(rows / duckCpuSeconds).padStart(7)} rows per CPU s`,
    );
    if (duck) console.log(`            ${phasesLine(duck)}`);
    const contract = findContractById(dataset);
    const silverBucket = bucketName({ env: 'local', zone: 'silver', accountId: '123456789012' });
    await printCleansingCeiling(
      {
        lakeRoot: duckRoot,
        contract,
        dates,
        silverTable: join(duckRoot, silverBucket, silverDatasetPrefix(contract)),
        targetRowsPerSecond: 1e6,
      },
      '   ',
    );

    if (!values['skip-spark']) {
      const sparkRoot = await engineLake('spark');
      const bucket = (zone: 'bronze' | 'silver' | 'quarantine') =>
        join(sparkRoot, bucketName({ env: 'local', zone, accountId: '123456789012' }));
      t = performance.now();
      await exec(
        join(workspaceRoot, '.venv/bin/python'),
        [
          join(workspaceRoot, 'apps/pipelines/glue_scripts/cleanse_market_data.py'),
          `--dataset=${dataset}`,
          `--dates=${dates.join(',')}`,
          `--run_id=${runId(new Date())}`,
          `--contracts=${join(workspaceRoot, 'libs/contracts/generated/contracts.json')}`,
          `--bronze_root=${bucket('bronze')}`,
          `--silver_root=${bucket('silver')}`,
          `--quarantine_root=${bucket('quarantine')}`,
        ],
        {
          maxBuffer: 64 * MB,
          env: { ...process.env, PYSPARK_PYTHON: join(workspaceRoot, '.venv/bin/python') },
        },
      );
      const sparkSeconds = (performance.now() - t) / 1000;
      const sparkRate = rows / sparkSeconds;
      console.log(
        `   PySpark  ${fmt(sparkSeconds, 2).padStart(7)} s  ${fmt(sparkRate).padStart(11)} rows/s  (local[*], JVM start-up included)`,
      );
      console.log(
        `   DuckDB / PySpark: ${fmt(duckRate / sparkRate, 1)}×  (target ≥ 5×: ${verdict(duckRate / sparkRate >= 5)})`,
      );
    }
  } finally {
    if (keep === undefined) await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`pipelines bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
