import { isAbsolute, resolve } from 'node:path';
import { loadConfig, type FinksConfig } from '@finks/config';
import { FmpClient } from '../fmp/fmp-client';
import { RateLimiter } from '../fmp/rate-limiter';
import { openLake, type Lake } from '../lake/lake-target';
import { createLogger, correlationIdFromEnv, type Logger } from '../observability/logger';
import { Metrics } from '../observability/metrics';
import { resolveSecret } from '../secrets';

export interface CommonFlags {
  lake?: 'local' | 's3';
  lakeRoot?: string;
  dryRun?: boolean;
  errorBudget: number;
  correlationId?: string;
  partSize?: number;
}

export interface RunContext {
  readonly config: FinksConfig;
  readonly lake: Lake;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function runContext(connector: string, flags: CommonFlags): RunContext {
  const correlationId = flags.correlationId ?? correlationIdFromEnv();
  // Set before anything can fail: main.ts logs the final error line with the id the environment
  // gives, and --correlation-id must win there too (a `??=` kept an inherited
  // FINKS_CORRELATION_ID on that one line).
  process.env['FINKS_CORRELATION_ID'] = correlationId;
  const config = loadConfig();
  const logger = createLogger({ correlationId });
  const kind = flags.lake ?? (config.lake.kind === 'filesystem' ? 'local' : 's3');
  const root =
    flags.lakeRoot ??
    process.env['FINKS_LAKE_ROOT'] ??
    (config.lake.kind === 'filesystem' ? config.lake.root : resolve('.finks/lake'));
  const lake =
    kind === 'local'
      ? openLake({
          kind: 'filesystem',
          root: isAbsolute(root) ? root : resolve(root),
          env: config.env,
          accountId: config.accountId,
        })
      : openLake({
          kind: 's3',
          env: config.env,
          accountId: config.accountId,
          region: config.region,
        });
  return { config, lake, logger, metrics: new Metrics(connector, config.env) };
}

/** Whether a secret missing from the environment should be looked up in Secrets Manager. */
export function useSecretsManager(config: FinksConfig): boolean {
  return config.env !== 'local' || Boolean(process.env['AWS_ENDPOINT_URL']);
}

export interface FmpClientFlags {
  callsPerMinute?: number;
  callsPerDay?: number;
  concurrency: number;
  timeoutSeconds: number;
}

export async function fmpClientFor(context: RunContext, flags: FmpClientFlags): Promise<FmpClient> {
  const { config, logger, metrics } = context;
  const apiKey = await resolveSecret({
    envVar: 'FMP_API_KEY',
    secretName: config.secretNames.fmpApiKey,
    region: config.region,
    useSecretsManager: useSecretsManager(config),
  });
  logger.redact(apiKey);
  const limiter = new RateLimiter({
    callsPerMinute: flags.callsPerMinute ?? config.fmp.callsPerMinute,
    callsPerDay: flags.callsPerDay ?? config.fmp.callsPerDay,
    maxConcurrent: flags.concurrency,
  });
  return new FmpClient({
    baseUrl: process.env['FMP_BASE_URL'] ?? config.fmp.baseUrl,
    apiKey,
    limiter,
    timeoutMs: flags.timeoutSeconds * 1000,
    logger,
    metrics,
  });
}
