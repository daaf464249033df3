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
