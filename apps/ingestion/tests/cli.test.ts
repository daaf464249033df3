import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { motoEndpoint } from '@finks/dev-services';
import { describe, expect, it } from 'vitest';
import { resolveSecret } from '../src/secrets';
import { runCli } from './helpers';

describe('CLI process', () => {
  it('exits 2 on a bad flag, and 1 naming FMP_API_KEY when no key is available', async () => {
    const bad = await runCli(['fmp', '--symbols', 'AAPL', '--from', '2025-13-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'--from <date>'");
    const noKey = await runCli(['fmp', '--symbols', 'AAPL', '--dry-run'], {
      FMP_API_KEY: undefined,
    });
    expect(noKey.code).toBe(1);
    const line = JSON.parse(noKey.stderr.trim().split('\n').at(-1) ?? '{}') as {
      level: string;
      message: string;
      code: string;
      correlation_id: string;
    };
    expect(line).toMatchObject({ level: 'error', code: 'config' });
    expect(line.message).toContain('FMP_API_KEY');
    expect(line.correlation_id).toBeTruthy();
  });
});

describe('CLI process: correlation id', () => {
  it('--correlation-id wins over the environment on every line, the final error line too', async () => {
    const result = await runCli(
      ['fmp', '--symbols', 'AAPL', '--dry-run', '--correlation-id', 'from-flag'],
      {
        FMP_API_KEY: undefined,
        FINKS_CORRELATION_ID: 'from-env',
        PREFECT__FLOW_RUN_ID: 'from-prefect',
      },
    );
    expect(result.code).toBe(1);
    const ids = [...result.stderr.trim().split('\n'), ...result.stdout.trim().split('\n')].map(
      (line) => (JSON.parse(line) as { correlation_id: string }).correlation_id,
    );
    expect(ids.length).toBeGreaterThan(1);
    expect(new Set(ids)).toEqual(new Set(['from-flag']));
  });
});

describe('CLI process: MongoDB settings', () => {
  it('names MONGODB_URI (code config) for a URI the driver cannot parse, and never its password', async () => {
    const result = await runCli(['mongodb', '--dry-run'], {
      MONGODB_URI: 'postgres://someone:canary-uri-pw-0451@db.example/portfolio',
    });
    expect(result.code).toBe(1);
    const line = JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '{}') as {
      message: string;
      code: string;
    };
    expect(line.code).toBe('config');
    expect(line.message).toMatch(/^MONGODB_URI is not a MongoDB connection string/);
    expect(result.stderr).not.toContain('canary-uri-pw');
  });
});

describe('secrets', () => {
  it('reads the FMP key from Secrets Manager (moto) when the variable is unset', async () => {
    const region = 'us-east-1';
    const name = `finks/local/fmp-api-key-test-${Date.now()}`;
    const client = new SecretsManagerClient({
      region,
      endpoint: motoEndpoint(),
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.send(new CreateSecretCommand({ Name: name, SecretString: 'sm-canary-value-42' }));
    process.env['AWS_ACCESS_KEY_ID'] ??= 'test';
    process.env['AWS_SECRET_ACCESS_KEY'] ??= 'test';
    process.env['AWS_ENDPOINT_URL'] ??= motoEndpoint();
    const value = await resolveSecret(
      { envVar: 'FINKS_TEST_UNSET_VAR', secretName: name, region, useSecretsManager: true },
      {},
    );
    expect(value).toBe('sm-canary-value-42');
    await expect(
      resolveSecret(
        {
          envVar: 'FINKS_TEST_UNSET_VAR',
          secretName: `${name}-missing`,
          region,
          useSecretsManager: true,
        },
        {},
      ),
    ).rejects.toThrow(/could not read secret .*-missing.*set FINKS_TEST_UNSET_VAR/);
  });

  it('prefers the variable and never asks AWS then', async () => {
    expect(
      await resolveSecret(
        { envVar: 'K', secretName: 'x', region: 'us-east-1', useSecretsManager: true },
        { K: 'from-env' },
      ),
    ).toBe('from-env');
  });
});
