// ingestion-fmp: the FMP connector for a set of symbols and datasets, as one step (a child
// process locally, an ECS task of apps/ingestion in AWS). The API key never becomes a parameter:
// locally it comes from FMP_API_KEY, in AWS the task reads it from Secrets Manager.
import { task } from '@finks/prefect';
import { CONTRACTS } from '@finks/contracts';
import { z } from 'zod';
import { FAKE_MARKET_KEY } from '../../master-flow/fake-market';
import { runAppStep } from '../app-step';
import { correlationIdOf, correlationParameter } from '../correlation';
import { deployableFlow } from '../deployable-flow';
import { resolveTarget, targetParameters } from '../target';

const FMP_DATASETS = CONTRACTS.filter((c) => c.source === 'fmp').map((c) => c.dataset);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const ingestionFmpParameters = z.object({
  ...targetParameters,
  ...correlationParameter,
  symbols: z
    .array(z.string().regex(/^[A-Z0-9.^-]{1,15}$/, 'an FMP ticker like AAPL or BRK-B'))
    .min(1),
  datasets: z
    .array(z.enum(FMP_DATASETS as [string, ...string[]]))
    .min(1)
    .optional()
    .describe('FMP datasets to ingest (default: all)'),
  from: isoDate.optional(),
  to: isoDate.optional(),
  full: z.boolean().optional().describe('ignore bookmarks and read the whole window'),
  callsPerMinute: z.number().int().positive().optional(),
  callsPerDay: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("daily call cap (default: the plan's)"),
  fmpBaseUrl: z.string().url().optional().describe('local runs: the FMP (or fake market) base URL'),
  fakeMarket: z
    .boolean()
    .optional()
    .describe('local runs: fmpBaseUrl is the built-in fake market (send its stand-in key)'),
});
export type IngestionFmpParameters = z.input<typeof ingestionFmpParameters>;

export interface IngestionStepResult {
  readonly summaries: readonly unknown[];
}

const runFmpConnector = task(
  { name: 'fmp-connector', retries: 1, retryDelaySeconds: 5, tags: ['ingestion', 'fmp'] },
  async (params: IngestionFmpParameters, correlationId: string): Promise<IngestionStepResult> => {
    const target = resolveTarget(params);
    const args = [
      'fmp',
      `--symbols=${params.symbols.join(',')}`,
      `--datasets=${(params.datasets ?? FMP_DATASETS).join(',')}`,
      ...(params.from ? [`--from=${params.from}`] : []),
      ...(params.to ? [`--to=${params.to}`] : []),
      ...(params.full ? ['--full'] : []),
      ...(params.callsPerMinute ? [`--calls-per-minute=${params.callsPerMinute}`] : []),
      ...(params.callsPerDay ? [`--calls-per-day=${params.callsPerDay}`] : []),
      `--correlation-id=${correlationId}`,
      ...(target.kind === 'local'
        ? ['--lake=local', `--lake-root=${target.lake.root}`]
        : ['--lake=s3']),
    ];
    const key = params.fakeMarket ? FAKE_MARKET_KEY : process.env['FMP_API_KEY'];
    const env: Record<string, string> =
      target.kind === 'local'
        ? {
            ...(key !== undefined ? { FMP_API_KEY: key } : {}),
            ...(params.fmpBaseUrl ? { FMP_BASE_URL: params.fmpBaseUrl } : {}),
          }
        : {};
    return runAppStep(target, {
      app: 'ingestion',
      args,
      correlationId,
      env,
      label: 'ingestion fmp',
    });
  },
);

export const ingestionFmpFlow = deployableFlow(
  {
    name: 'ingestion-fmp',
    firstStep: 'fmp-connector',
    description: 'FMP stable API → bronze for the given symbols and datasets',
    tags: ['ingestion', 'fmp'],
    parameters: ingestionFmpParameters,
  },
  async (params: IngestionFmpParameters) => runFmpConnector(params, correlationIdOf(params)),
);
