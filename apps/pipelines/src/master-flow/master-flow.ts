// The platform's main job: sources → bronze → silver → gold. Each stage is one of the platform's
// flows, run here as a subflow: ingestion-fmp and ingestion-mongodb in parallel, then
// transformation-bronze-to-silver and transformation-silver-to-gold. Locally (the embedded
// defaults) it also starts the fake FMP market unless FMP_API_KEY is set and loads demo
// portfolios into the portfolio database; in AWS the same subflows run ECS tasks and Glue jobs.
// With PREFECT_API_URL set the run shows in the Prefect UI; without it the same code runs with
// console output only.
import { dirname, join } from 'node:path';
import { bucketName, runId } from '@finks/lake-paths';
import { z } from 'zod';
import { correlationIdOf, correlationParameter } from '../flows/correlation';
import { deployableFlow } from '../flows/deployable-flow';
import { ingestionFmpFlow } from '../flows/ingestion/fmp';
import { ingestionMongodbFlow } from '../flows/ingestion/mongodb';
import { failureNotifier } from '../flows/notify';
import { resolveTarget, targetParameters, type StepTarget } from '../flows/target';
import { bronzeToSilverFlow } from '../flows/transformation/bronze-to-silver';
import { discardPreparedSteps, prepareAppStep } from '../flows/app-step';
import {
  dbtBuildStep,
  silverToGoldFlow,
  type DbtBuildResult,
} from '../flows/transformation/silver-to-gold';
import type { DatasetCleansingSummary } from '../transformation/bronze-to-silver/bronze-to-silver';
import { fetchDemoCloses } from './closes';
import { FAKE_MARKET_FMP_LANES } from './fmp-lanes';
import { buildDemoData, mongoReachable, writeDemoSnapshot } from './demo-portfolios';
import { demoOrphansWarning, loadDemoDocuments } from './mongodb-source';
import { startFakeMarket, type RunningFakeMarket } from './fake-market';
import { readGoldSummary, type GoldSummary } from './gold-summary';
import { bronzeManifestsSince, type BronzeManifestSummary } from './lake-scan';
import { silentProgress, type Progress } from './progress';
import { silverDates } from './silver-dates';
import { runSourcesWithPolicy, type StepFailure } from './sources';

export type { StepFailure } from './sources';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const DEFAULT_REAL_TICKERS = ['AAPL', 'MSFT', 'NVDA', 'JPM', 'XOM', 'JNJ', 'PG', 'V'];

/** The flow's parameters: plain data, as Prefect records them on the flow run. No secrets. */
export const masterFlowParameters = z.object({
  ...targetParameters,
  ...correlationParameter,
  symbols: z
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .describe('symbols of the fake market (local runs; default 8)'),
  tickers: z
    .array(z.string().regex(/^[A-Z0-9.^-]{1,15}$/, 'an FMP ticker like AAPL'))
    .min(1)
    .optional()
    .describe('tickers to ingest from the real FMP API (default: a small blue-chip list)'),
  portfolios: z
    .number()
    .int()
    .min(1)
    .max(50)
    .optional()
    .describe('demo portfolios (local runs; default 3)'),
  from: isoDate
    .optional()
    .describe('first day of price history to ingest (default: asOf - 2 years)'),
  asOf: isoDate
    .optional()
    .describe("the market's today (default: the last weekday before today, UTC)"),
  mongodbDatabase: z.string().regex(/^[\w-]{1,63}$/, 'a MongoDB database name'),
  fmpBaseUrl: z.string().url().optional().describe('the real FMP API, when FMP_API_KEY is set'),
  fakeMarketCallsPerMinute: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      'rate limit the connector keeps with the fake market (default 6000; a bench lifts it)',
    ),
  onSourceFailure: z
    .enum(['continue', 'fail'])
    .optional()
    .describe("continue: the other sources' data still moves on to silver and gold (default)"),
});
export type MasterFlowOptions = z.input<typeof masterFlowParameters>;

export interface MasterFlowResult {
  readonly correlationId: string;
  readonly market: 'fake' | 'fmp';
  readonly bronze: readonly BronzeManifestSummary[];
  readonly silver: readonly DatasetCleansingSummary[];
  readonly dbt: DbtBuildResult;
  readonly gold: GoldSummary;
  /** Sources that failed while the others moved on (onSourceFailure: continue). */
  readonly failures: readonly StepFailure[];
}

/** Read at use: a secret must not travel as a flow parameter (Prefect stores parameters). */
const realFmpKey = (): string | undefined => process.env['FMP_API_KEY'] || undefined;

/**
 * The demo portfolios of a local run, priced at the market's closes: into MongoDB when one
 * answers at MONGODB_URI; otherwise into a snapshot file the mongodb connector reads instead
 * (returned), said plainly — the run goes on without a database.
 */
async function loadDemoPortfolios(
  options: ResolvedOptions,
  target: Extract<StepTarget, { kind: 'local' }>,
  market: RunningFakeMarket | null,
  symbols: readonly string[],
  progress: Progress,
): Promise<{ snapshotFile?: string }> {
  const closes = await fetchDemoCloses(
    market?.baseUrl ?? options.fmpBaseUrl ?? 'https://financialmodelingprep.com/stable',
    market?.apiKey ?? realFmpKey() ?? '',
    symbols,
    options.portfolios,
    options.from,
    options.asOf,
  );
  const demo = buildDemoData(closes, options.portfolios);
  const uri = process.env['MONGODB_URI'];
  if (uri && (await mongoReachable(uri))) {
    const load = await loadDemoDocuments(uri, options.mongodbDatabase, demo);
    progress.note(
      `demo portfolios loaded into MongoDB: ${demo.portfolios.length} portfolios, ${demo.transactions.length} transactions (${load.written} new or changed)`,
    );
    const orphans = demoOrphansWarning(options.mongodbDatabase, load);
    if (orphans !== null) progress.note(orphans);
    return {};
  }
  const snapshotFile = join(dirname(target.lake.root), 'demo-portfolios.ejson');
  await writeDemoSnapshot(snapshotFile, demo);
  progress.note(
    `MongoDB is not reachable${uri ? '' : ' (MONGODB_URI is not set)'}: the demo portfolios ` +
      `(${demo.portfolios.length} portfolios, ${demo.transactions.length} transactions) go to bronze ` +
      `from the snapshot ${snapshotFile} instead of the database`,
  );
  return { snapshotFile };
}

/** What every subflow of one master-flow run takes: its environment, lake and correlation id. */
interface SubflowBase {
  readonly env?: string;
  readonly lakeRoot?: string;
  readonly correlationId: string;
}

async function runSources(
  options: ResolvedOptions,
  target: StepTarget,
  base: SubflowBase,
  progress: Progress,
): Promise<{ market: 'fake' | 'fmp'; failures: StepFailure[] }> {
  // The fake market unless a real key is given (then FMP_BASE_URL, if set, says where).
  const useFake = target.kind === 'local' && !realFmpKey();
  progress.stage('sources');
  const market = useFake
    ? await startFakeMarket({
        symbols: options.symbols,
        historyStart: options.from,
        asOf: options.asOf,
      })
    : null;
  try {
    const symbols = market ? [...market.symbols] : [...(options.tickers ?? DEFAULT_REAL_TICKERS)];
    progress.note(
      market
        ? `fake FMP market at ${market.baseUrl} with ${symbols.length} symbols`
        : `real FMP API (${options.fmpBaseUrl ?? 'default base URL'}), ${symbols.length} tickers`,
    );
    const loadDemo = async (): Promise<{ snapshotFile?: string }> =>
      target.kind === 'local' ? loadDemoPortfolios(options, target, market, symbols, progress) : {};
    // Against a real plan the closes' requests share its rate with the connector: they go first.
    const demoFirst = market ? undefined : await loadDemo();

    progress.stage('bronze');
    const lanes = market ? FAKE_MARKET_FMP_LANES : [{ step: 'ingestion-fmp' }];
    const fakeRate = options.fakeMarketCallsPerMinute ?? 6000;
    const sources = [
      ...lanes.map((lane) => ({
        step: lane.step,
        run: () =>
          ingestionFmpFlow({
            ...base,
            symbols,
            ...(lane.datasets ? { datasets: [...lane.datasets] } : {}),
            from: options.from,
            to: options.asOf,
            ...(market
              ? {
                  fmpBaseUrl: market.baseUrl,
                  fakeMarket: true,
                  // The market's rate, shared by the lanes.
                  callsPerMinute: Math.max(1, Math.floor(fakeRate / lanes.length)),
                  // The fake market has no plan: the config's daily cap (a real plan's) does not apply.
                  callsPerDay: 100_000_000,
                }
              : {}),
            ...(!market && options.fmpBaseUrl ? { fmpBaseUrl: options.fmpBaseUrl } : {}),
          }),
      })),
      {
        step: 'ingestion-mongodb',
        // With the fake market the demo portfolios load here, beside the FMP connector: only
        // this source reads them, and loading them first (closes from the market, then the
        // database) kept the connector waiting with a core idle.
        run: async () => {
          const { snapshotFile } = demoFirst ?? (await loadDemo());
          return ingestionMongodbFlow({
            ...base,
            database: options.mongodbDatabase,
            // The demo load just stamped its documents and its writes were acknowledged before
            // the connector starts: nothing is left to become visible late, so no settle lag
            // (which would leave this run's documents to the next run).
            ...(snapshotFile ? { snapshotFile } : { settleSeconds: 0 }),
          });
        },
      },
    ];
    const failures = await runSourcesWithPolicy(sources, options.onSourceFailure ?? 'continue');
    for (const failure of failures) {
      progress.note(
        `${failure.step} FAILED (the other sources move on): ${failure.error.split('\n')[0]}`,
      );
    }
    return { market: market ? 'fake' : 'fmp', failures };
  } finally {
    await market?.stop();
  }
}

async function bronzeWritten(target: StepTarget, since: Date): Promise<BronzeManifestSummary[]> {
  if (target.kind !== 'local') return [];
  const { lake } = target;
  const dir = join(
    lake.root,
    bucketName({ env: lake.env, zone: 'bronze', accountId: lake.accountId }),
  );
  return bronzeManifestsSince(dir, since);
}

type ResolvedOptions = Omit<MasterFlowOptions, 'symbols' | 'portfolios' | 'from' | 'asOf'> & {
  readonly symbols: number;
  readonly portfolios: number;
  readonly from: string;
  readonly asOf: string;
};

/** The last weekday up to yesterday (UTC): a day whose close exists. */
export function lastCloseDay(now = new Date()): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1));
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

function withDefaults(params: MasterFlowOptions): ResolvedOptions {
  const asOf = params.asOf ?? lastCloseDay();
  const from = new Date(`${asOf}T00:00:00Z`);
  from.setUTCFullYear(from.getUTCFullYear() - 2);
  return {
    ...params,
    symbols: params.symbols ?? 8,
    portfolios: params.portfolios ?? 3,
    asOf,
    from: params.from ?? from.toISOString().slice(0, 10),
  };
}

/** The master flow, reporting its stages to `progress`. */
export const masterFlow = (progress: Progress = silentProgress) =>
  deployableFlow(
    {
      name: 'master-flow',
      description: 'sources in parallel → bronze → silver → gold, with per-step retries',
      tags: ['finks'],
      parameters: masterFlowParameters,
      // A failure is counted and notified once, as master-flow's, at the stage it stopped in
      // (deployableFlow): its subflows' failures are this run's.
      firstStep: 'sources',
    },
    async (params: MasterFlowOptions, stage): Promise<MasterFlowResult> => {
      const options = withDefaults(params);
      const target = resolveTarget(options);
      const correlationId = correlationIdOf(options);
      const notify = failureNotifier(target.config, 'master-flow', correlationId);
      const started = new Date();
      const base: SubflowBase = {
        ...(options.env ? { env: options.env } : {}),
        ...(options.lakeRoot ? { lakeRoot: options.lakeRoot } : {}),
        correlationId,
      };
      try {
        const { market, failures } = await runSources(options, target, base, progress);
        const bronze = await bronzeWritten(target, started);
        if (target.kind === 'local') {
          progress.note(
            `${bronze.reduce((n, m) => n + m.rowCount, 0)} bronze rows in ${bronze.length} batches, ` +
              `${bronze.reduce((n, m) => n + m.quarantined, 0)} quarantined`,
          );
        }

        stage.name = 'silver';
        progress.stage('silver');
        // dbt imports and parses (≈ 5 s, no data needed) while silver is written; the gold step
        // below runs the very same command and only releases it (locally; in AWS a no-op).
        prepareAppStep(target, dbtBuildStep(base, target, correlationId));
        // The days this run wrote (locally the manifests say; in AWS the days it spans) and the
        // catch-up window, whose batches no run has cleansed yet are read too.
        const dates = silverDates(
          target.kind === 'local' ? bronze.map((m) => m.dt) : [],
          started,
          new Date(),
        );
        // The cleansing's own run id (rejects name it), in the lake's run-id format.
        const silverRunId = runId(started);
        const silver = (await bronzeToSilverFlow({
          ...base,
          dates,
          runId: silverRunId,
          // The batches not cleansed yet: this run's, and any an earlier failed run left.
          batches: 'pending',
        })) as DatasetCleansingSummary[];
        if (target.kind === 'local') {
          const skipped = silver.reduce((n, s) => n + s.batchesAlreadyCleansed, 0);
          progress.note(
            `${silver.reduce((n, s) => n + s.valid, 0)} records cleansed into silver, ` +
              `${silver.reduce((n, s) => n + s.quarantined, 0)} quarantined ` +
              `from ${silver.reduce((n, s) => n + s.bronzeBatches, 0)} bronze batches` +
              (skipped > 0 ? ` (${skipped} cleansed by an earlier run, not read again)` : ''),
          );
        }

        stage.name = 'gold';
        progress.stage('gold');
        const dbt = await silverToGoldFlow(base);
        const gold =
          target.kind === 'local'
            ? await readGoldSummary(target.lake)
            : {
                rows: {},
                latestDate: null,
                totalMarketValue: null,
                unvaluedPortfolios: 0,
                latestMonthlyReturnPct: null,
                latestVar95Amount: null,
              };
        if (failures.length > 0) {
          await notify.partial(failures);
        }
        return { correlationId, market, bronze, silver, dbt, gold, failures };
      } finally {
        // A run that stopped before gold leaves its held dbt: it exits without building.
        await discardPreparedSteps(correlationId);
      }
    },
  );
