// `nx run dbt-runner:bench`: a full `dbt build` over 10 years x 500 symbols x 50 portfolios of
// synthetic silver, then the same compiled SQL straight in DuckDB, to show dbt's overhead.
// Sizes can be shrunk for a quick look: BENCH_SYMBOLS, BENCH_DAYS, BENCH_PORTFOLIOS.
//
// "The same compiled SQL" is every node dbt build ran that does work on the data: the silver
// load of the on-run-start hook (macros/load_silver.sql: each source's Parquet into a table),
// each model (create table / view as its compiled_code), each mart's gold Parquet export, and
// each data test (count(*) over its compiled_code). What dbt does beyond that — starting Python, parsing
// the project, the snapshot's merge, unit tests, metadata queries, artifacts — is its overhead.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { resolveDbtBinary } from '../dbt/dbt-binary';
import { formatSummaryTable } from '../dbt/run-results';
import { runLocalDbt } from '../local';
import {
  GOLD_MARTS,
  localGoldMartLocations,
  localSilverRoot,
  type LocalLake,
} from '../lake/local-lake';
import { syntheticSilver } from '../testing/synthetic-silver';
import { writeSyntheticSilver } from '../testing/write-silver';
import { REPO_ROOT } from '../app-root';

const size = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

interface ManifestSource {
  readonly relation_name: string;
  readonly schema: string;
  readonly meta: { readonly silver_parquet?: string };
}

interface ManifestNode {
  readonly resource_type: string;
  readonly name: string;
  readonly compiled_code?: string;
  readonly relation_name?: string | null;
  readonly config: { readonly materialized?: string };
  readonly depends_on: { readonly nodes: readonly string[] };
}

/** Models in dependency order (parents first). */
function modelsInOrder(nodes: Record<string, ManifestNode>): [string, ManifestNode][] {
  const models = Object.entries(nodes).filter(([, node]) => node.resource_type === 'model');
  const done = new Set<string>();
  const ordered: [string, ManifestNode][] = [];
  while (ordered.length < models.length) {
    const before = ordered.length;
    for (const [id, node] of models) {
      if (done.has(id)) continue;
      if (node.depends_on.nodes.every((dep) => !dep.startsWith('model.') || done.has(dep))) {
        done.add(id);
        ordered.push([id, node]);
      }
    }
    if (ordered.length === before) throw new Error('the manifest has a cycle between models');
  }
  return ordered;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

async function main(): Promise<void> {
  const options = {
    symbols: size('BENCH_SYMBOLS', 500),
    tradingDays: size('BENCH_DAYS', 2520),
    portfolios: size('BENCH_PORTFOLIOS', 50),
  };
  const root = await mkdtemp(join(tmpdir(), 'finks-dbt-bench-'));
  const lake: LocalLake = { lakeRoot: join(root, 'lake'), env: 'local', accountId: '123456789012' };
  console.log(
    `generating ${options.symbols} symbols x ${options.tradingDays} days x ${options.portfolios} portfolios`,
  );
  const generationStarted = performance.now();
  await writeSyntheticSilver(lake, syntheticSilver(options), join(root, 'scratch'));
  console.log(`silver written in ${seconds(generationStarted).toFixed(1)} s`);

  // Peak RSS of dbt and everything it runs (DuckDB is in-process in dbt's Python).
  const wrapper = join(root, 'dbt-with-rss');
  await writeFile(
    wrapper,
    `#!${join(REPO_ROOT, '.venv', 'bin', 'python')}\nimport resource, subprocess, sys\ncode = subprocess.call(["${resolveDbtBinary()}", *sys.argv[1:]])\nopen("${join(root, 'rss')}", "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\nsys.exit(code)\n`,
    { mode: 0o755 },
  );
  const started = performance.now();
  const outcome = await runLocalDbt({
    lake,
    workDir: join(root, 'work'),
    dbtBinary: wrapper,
    log: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  const dbtSeconds = seconds(started);
  const peakRssMb = Number(await readFile(join(root, 'rss'), 'utf8')) / 1024;
  if (outcome.summary) console.log(formatSummaryTable(outcome.summary));
  console.log(outcome.message);
  if (outcome.exitCode !== 0) process.exit(outcome.exitCode);

  const manifestArtifact = outcome.artifacts.find((artifact) => artifact.file === 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestArtifact?.location ?? '', 'utf8')) as {
    nodes: Record<string, ManifestNode>;
    sources: Record<string, ManifestSource>;
  };
  const tests = Object.values(manifest.nodes).filter(
    (node) => node.resource_type === 'test' && node.compiled_code,
  );
  const goldFolders = localGoldMartLocations(lake);

  // Same database name ("finks") so the compiled relation names resolve; same settings as the
  // profile's local target (dbt/profiles.yml).
  await mkdir(join(root, 'direct'), { recursive: true });
  const instance = await DuckDBInstance.create(join(root, 'direct', 'finks.duckdb'), {
    preserve_insertion_order: 'false',
  });
  const connection = await instance.connect();
  const directStarted = performance.now();
  const phase = { silver: 0, models: 0, exports: 0, tests: 0 };
  const silverStarted = performance.now();
  for (const source of Object.values(manifest.sources)) {
    const glob = source.meta.silver_parquet;
    if (!glob) continue;
    const files = join(localSilverRoot(lake), glob);
    await connection.run(`create schema if not exists ${source.schema}`);
    await connection.run(
      `create or replace table ${source.relation_name} as select * from read_parquet('${files}', hive_partitioning = true, union_by_name = true)`,
    );
  }
  phase.silver = seconds(silverStarted);
  for (const [, node] of modelsInOrder(manifest.nodes)) {
    const kind = node.config.materialized === 'view' ? 'view' : 'table';
    let since = performance.now();
    await connection.run(
      `create or replace ${kind} ${node.relation_name ?? ''} as ${node.compiled_code ?? ''}`,
    );
    phase.models += seconds(since);
    const folder = (GOLD_MARTS as readonly string[]).includes(node.name)
      ? goldFolders[node.name as (typeof GOLD_MARTS)[number]]
      : undefined;
    if (folder) {
      since = performance.now();
      await connection.run(
        `copy (select * from ${node.relation_name ?? ''}) to '${join(root, 'direct', `${node.name}.parquet`)}' (format parquet)`,
      );
      phase.exports += seconds(since);
    }
  }
  const testsStarted = performance.now();
  for (const test of tests) {
    await connection.run(`select count(*) from (${test.compiled_code ?? ''}) as dbt_test`);
  }
  phase.tests = seconds(testsStarted);
  const directSeconds = seconds(directStarted);
  connection.closeSync();
  instance.closeSync();

  const overhead = (dbtSeconds - directSeconds) / dbtSeconds;
  console.log(
    JSON.stringify(
      {
        ...options,
        dbtWallSeconds: Number(dbtSeconds.toFixed(1)),
        dbtReportedElapsedSeconds: outcome.summary?.elapsedSeconds,
        directDuckdbSeconds: Number(directSeconds.toFixed(1)),
        directPhases: Object.fromEntries(
          Object.entries(phase).map(([name, value]) => [name, Number(value.toFixed(1))]),
        ),
        directTests: tests.length,
        dbtOverheadShare: Number(overhead.toFixed(3)),
        peakRssMb: Math.round(peakRssMb),
        target: 'overhead < 0.25 of the total',
      },
      null,
      2,
    ),
  );
  await rm(root, { recursive: true, force: true });
}

await main();
