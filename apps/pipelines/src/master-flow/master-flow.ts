// The platform's main job: sources → bronze → silver → gold, on the embedded defaults (the fake
// FMP market unless FMP_API_KEY is set, FerretDB as the portfolio database, the filesystem lake,
// DuckDB silver, dbt-duckdb gold). Each step is a Prefect task; with PREFECT_API_URL set the run
// shows in the Prefect UI, without it the same code runs with console output only.
import { join } from 'node:path';
import { flow, getRunContext, task } from '@finks/prefect';
import { bucketName, runId } from '@finks/lake-paths';
import { CONTRACTS } from '@finks/contracts';
import { bronzeToSilver } from '../transformation/bronze-to-silver/bronze-to-silver';
import type { DatasetCleansingSummary } from '../transformation/bronze-to-silver/bronze-to-silver';
import { appEntryPoints, tsxBin, workspaceRoot } from './app-commands';
import { jsonLines, runChild } from './child-process';
import { buildDemoData, loadDemoData, type DailyClose } from './demo-portfolios';
import { startFakeMarket, type RunningFakeMarket } from './fake-market';
import { readGoldSummary, type GoldSummary } from './gold-summary';
import { bronzeManifestsSince, type BronzeManifestSummary } from './lake-scan';
import type { LocalLakeTarget } from './local-lake-target';
import type { Progress } from './progress';

/** The flow's parameters: plain data, as Prefect records them on the flow run. */
export type MasterFlowOptions = {
  readonly lake: LocalLakeTarget;
  readonly symbols: number;
  readonly portfolios: number;
  /** First day of price history to ingest (YYYY-MM-DD). */
  readonly from: string;
  /** The market's today (YYYY-MM-DD). */
  readonly asOf: string;
  readonly mongodbUri: string;
  readonly mongodbDatabase: string;
  /** Where the real FMP API is, when FMP_API_KEY is set (the key itself never becomes a parameter). */
  readonly fmpBaseUrl?: string;
};

export interface MasterFlowResult {
  readonly correlationId: string;
  readonly market: 'fake' | 'fmp';
  readonly bronze: readonly BronzeManifestSummary[];
  readonly silver: readonly DatasetCleansingSummary[];
  readonly dbt: { readonly exitCode: number; readonly message: string; readonly summary: unknown };
  readonly gold: GoldSummary;
}

/** Read at use: a secret must not travel as a flow parameter (Prefect stores parameters). */
const realFmpKey = (): string | undefined => process.env['FMP_API_KEY'] || undefined;

const lakeBucketDir = (lake: LocalLakeTarget, zone: 'bronze') =>
  join(lake.root, bucketName({ env: lake.env, zone, accountId: lake.accountId }));

const FMP_DATASETS = CONTRACTS.filter((c) => c.source === 'fmp').map((c) => c.dataset);

function childEnv(options: MasterFlowOptions, correlationId: string, extra: NodeJS.ProcessEnv) {
  return {
    ...process.env,
    FINKS_ENV: options.lake.env,
    FINKS_LAKE_ROOT: options.lake.root,
    FINKS_CORRELATION_ID: correlationId,
    ...extra,
  };
}

async function fetchCloses(
  baseUrl: string,
  apiKey: string,
  symbols: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, DailyClose[]>> {
  const closes = new Map<string, DailyClose[]>();
  for (const symbol of symbols) {
    const url = new URL(`${baseUrl}/historical-price-eod/full`);
    url.search = new URLSearchParams({ symbol, from, to, apikey: apiKey }).toString();
    const response = await fetch(url);
    if (!response.ok) throw new Error(`prices for ${symbol}: HTTP ${response.status}`);
    const rows = (await response.json()) as { date: string; close: number }[];
    closes.set(
      symbol,
      rows.map((row) => ({ date: row.date, close: row.close })),
    );
  }
  return closes;
}

const ingestFmp = task(
  { name: 'ingest-fmp', retries: 1, retryDelaySeconds: 2, tags: ['ingestion', 'fmp'] },
  async (
    options: MasterFlowOptions,
    market: RunningFakeMarket | null,
    symbols: string[],
    id: string,
  ) => {
    const baseUrl = market?.baseUrl ?? options.fmpBaseUrl;
    const apiKey = market?.apiKey ?? realFmpKey() ?? '';
    await runChild(
      tsxBin,
      [
        appEntryPoints.ingestion,
        'fmp',
        `--symbols=${symbols.join(',')}`,
        `--datasets=${FMP_DATASETS.join(',')}`,
        `--from=${options.from}`,
        `--to=${options.asOf}`,
        '--lake=local',
        `--lake-root=${options.lake.root}`,
        `--correlation-id=${id}`,
        // The fake market has no plan limit; a real key keeps the plan's limit from the config.
        ...(market ? ['--calls-per-minute=6000'] : []),
      ],
      {
        label: 'ingestion fmp',
        env: childEnv(options, id, {
          FMP_API_KEY: apiKey,
          ...(baseUrl ? { FMP_BASE_URL: baseUrl } : {}),
        }),
      },
    );
  },
);

const ingestMongodb = task(
  { name: 'ingest-mongodb', retries: 1, retryDelaySeconds: 2, tags: ['ingestion', 'mongodb'] },
  async (options: MasterFlowOptions, id: string) => {
    await runChild(
      tsxBin,
      [
        appEntryPoints.ingestion,
        'mongodb',
        `--database=${options.mongodbDatabase}`,
        '--lake=local',
        `--lake-root=${options.lake.root}`,
        `--correlation-id=${id}`,
      ],
      {
        label: 'ingestion mongodb',
        env: childEnv(options, id, { MONGODB_URI: options.mongodbUri }),
      },
    );
  },
);

const cleanseToSilver = task(
  { name: 'bronze-to-silver', retries: 1, retryDelaySeconds: 1, tags: ['transformation'] },
  (options: MasterFlowOptions, dates: string[], id: string) =>
    bronzeToSilver({
      lakeRoot: options.lake.root,
      env: options.lake.env,
      accountId: options.lake.accountId,
      datasets: CONTRACTS.map((c) => c.id),
      dates,
      runId: id,
    }),
);

const buildGold = task(
  { name: 'silver-to-gold', retries: 0, tags: ['transformation', 'dbt'] },
  async (options: MasterFlowOptions, id: string) => {
    const { stdout } = await runChild(
      tsxBin,
      [
        appEntryPoints.dbtRunner,
        'build',
        `--env=${options.lake.env}`,
        `--correlation-id=${id}`,
        '--json',
      ],
      { label: 'dbt-runner build', env: childEnv(options, id, {}), cwd: workspaceRoot },
    );
    const result = jsonLines(stdout).at(-1) as MasterFlowResult['dbt'] | undefined;
    return result ?? { exitCode: 0, message: 'dbt build finished', summary: null };
  },
);

/** The master flow, reporting its stages to `progress`. */
export const masterFlow = (progress: Progress) =>
  flow(
    { name: 'master-flow', tags: ['finks', 'local'] },
    async (options: MasterFlowOptions): Promise<MasterFlowResult> => {
      const context = getRunContext();
      const correlationId = context?.flowRunId ?? `local-${Date.now().toString(36)}`;
      const started = new Date();
      // The fake market unless a real key is given (then FMP_BASE_URL, if set, says where).
      const useFake = !realFmpKey();

      progress.stage('sources');
      const market = useFake
        ? await startFakeMarket({
            symbols: options.symbols,
            historyStart: options.from,
            asOf: options.asOf,
          })
        : null;
      try {
        const symbols = market
          ? [...market.symbols]
          : ['AAPL', 'MSFT', 'NVDA', 'JPM', 'XOM'].slice(0, options.symbols);
        progress.note(
          market
            ? `fake FMP market at ${market.baseUrl} with ${symbols.length} symbols`
            : `real FMP API (${options.fmpBaseUrl ?? 'default base URL'})`,
        );
        const closes = await fetchCloses(
          market?.baseUrl ?? options.fmpBaseUrl ?? 'https://financialmodelingprep.com/stable',
          market?.apiKey ?? realFmpKey() ?? '',
          symbols,
          options.from,
          options.asOf,
        );
        const demo = buildDemoData(closes, options.portfolios);
        const written = await loadDemoData(options.mongodbUri, options.mongodbDatabase, demo);
        progress.note(
          `demo portfolios loaded into MongoDB: ${demo.portfolios.length} portfolios, ${demo.transactions.length} transactions (${written} new or changed)`,
        );

        progress.stage('bronze');
        await Promise.all([
          ingestFmp(options, market, symbols, correlationId),
          ingestMongodb(options, correlationId),
        ]);
      } finally {
        await market?.stop();
      }
      const bronze = await bronzeManifestsSince(lakeBucketDir(options.lake, 'bronze'), started);
      progress.note(
        `${bronze.reduce((n, m) => n + m.rowCount, 0)} bronze rows in ${bronze.length} batches, ` +
          `${bronze.reduce((n, m) => n + m.quarantined, 0)} quarantined`,
      );

      progress.stage('silver');
      const dates = [...new Set(bronze.map((m) => m.dt))].sort();
      // Quarantine batches are named by a run id of the lake's own format, not the flow run's UUID.
      const silverRunId = runId(started);
      const silver = dates.length > 0 ? await cleanseToSilver(options, dates, silverRunId) : [];
      progress.note(
        `${silver.reduce((n, s) => n + s.valid, 0)} records cleansed into silver, ` +
          `${silver.reduce((n, s) => n + s.quarantined, 0)} quarantined`,
      );

      progress.stage('gold');
      const dbt = await buildGold(options, correlationId);
      const gold = await readGoldSummary(options.lake);
      return { correlationId, market: market ? 'fake' : 'fmp', bronze, silver, dbt, gold };
    },
  );
