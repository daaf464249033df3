// `nx run dbt-runner:bench`: a full `dbt build` over 10 years x 500 symbols x 50 portfolios of
// synthetic silver, then the same compiled model SQL straight in DuckDB, to show dbt's overhead.
// Sizes can be shrunk for a quick look: BENCH_SYMBOLS, BENCH_DAYS, BENCH_PORTFOLIOS.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { resolveDbtBinary } from '../dbt/dbt-binary';
import { formatSummaryTable } from '../dbt/run-results';
import { runLocalDbt } from '../local';
import type { LocalLake } from '../lake/local-lake';
import { syntheticSilver } from '../testing/synthetic-silver';
import { writeSyntheticSilver } from '../testing/write-silver';
import { REPO_ROOT } from '../app-root';

const size = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

interface ManifestNode {
  readonly resource_type: string;
  readonly compiled_code?: string;
  readonly relation_name?: string | null;
  readonly config: { readonly materialized?: string };
  readonly depends_on: { readonly nodes: readonly string[] };
}

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
  await writeSyntheticSilver(lake, syntheticSilver(options), join(root, 'scratch'));

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
  const dbtSeconds = (performance.now() - started) / 1000;
  const peakRssMb = Number(await readFile(join(root, 'rss'), 'utf8')) / 1024;
  if (outcome.summary) console.log(formatSummaryTable(outcome.summary));
  console.log(outcome.message);

  // The same compiled SQL of every model, in dependency order, straight in DuckDB.
  const manifestArtifact = outcome.artifacts.find((artifact) => artifact.file === 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestArtifact?.location ?? '', 'utf8')) as {
    nodes: Record<string, ManifestNode>;
  };
  const models = Object.entries(manifest.nodes).filter(
    ([, node]) => node.resource_type === 'model',
  );
  const done = new Set<string>();
  const ordered: [string, ManifestNode][] = [];
  while (ordered.length < models.length) {
    for (const [id, node] of models) {
      if (done.has(id)) continue;
      if (node.depends_on.nodes.every((dep) => !dep.startsWith('model.') || done.has(dep))) {
        done.add(id);
        ordered.push([id, node]);
      }
    }
  }
  const directPath = join(root, 'direct', 'finks.duckdb');
  await rm(join(root, 'direct'), { recursive: true, force: true });
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(root, 'direct'), { recursive: true });
  const instance = await DuckDBInstance.create(directPath);
  const connection = await instance.connect();
  const directStarted = performance.now();
  for (const [, node] of ordered) {
    const kind = node.config.materialized === 'view' ? 'view' : 'table';
    await connection.run(
      `create or replace ${kind} ${node.relation_name ?? ''} as ${node.compiled_code ?? ''}`,
    );
  }
  const directSeconds = (performance.now() - directStarted) / 1000;
  connection.closeSync();
  instance.closeSync();

  const overhead = (dbtSeconds - directSeconds) / dbtSeconds;
  console.log(
    JSON.stringify(
      {
        ...options,
        dbtWallSeconds: Number(dbtSeconds.toFixed(1)),
        directDuckdbSeconds: Number(directSeconds.toFixed(1)),
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
