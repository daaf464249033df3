// Test helpers for code that consumes @finks/config; imported as `@finks/config/testing`.
import { stringify } from 'yaml';
import { parseConfig } from '../parse-config';
import type { FinksConfig, FinksConfigInput } from '../schema/config-schema';

/** A complete, valid dev config as it would be written in YAML; tests change one field at a time. */
export function validConfigInput(): FinksConfigInput & Record<string, unknown> {
  return {
    env: 'dev',
    region: 'ca-central-1',
    accountId: '111111111111',
    lake: { kind: 's3' },
    retention: {
      bronzeInfrequentAccessDays: 30,
      bronzeGlacierDays: 90,
      quarantineExpirationDays: 14,
      noncurrentVersionExpirationDays: 7,
      logRetentionDays: 14,
    },
    ecs: {
      ingestionFmp: { cpu: 256, memory: 512 },
      ingestionMongodb: { cpu: 256, memory: 512 },
      newsStream: { cpu: 256, memory: 512 },
      dbtRunner: { cpu: 1024, memory: 2048 },
      prefectServer: { cpu: 512, memory: 1024 },
      worker: { cpu: 512, memory: 1024 },
    },
    schedules: {
      'fmp-eod-prices': { cron: '30 18 * * 1-5', timezone: 'America/New_York' },
    },
    fmp: {
      plan: 'starter',
      baseUrl: 'https://financialmodelingprep.com/stable',
      callsPerMinute: 300,
      callsPerDay: null,
    },
    alerts: {
      emails: ['data-platform@finks.ai'],
      slackWebhookSecretName: 'finks/dev/slack-alerts-webhook',
      snsTopic: true,
    },
    secretNames: { fmpApiKey: 'finks/dev/fmp-api-key', mongodbUri: 'finks/dev/mongodb-uri' },
  };
}

/** `validConfigInput()` parsed, for code that needs a `FinksConfig` value. */
export function validConfig(): FinksConfig {
  return parseConfig(stringify(validConfigInput()), 'dev.yaml');
}
