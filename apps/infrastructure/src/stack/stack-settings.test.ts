import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG_DIR } from '@finks/config';
import { FIXTURE_GLUE_SCRIPTS, TEST_STACK_CONFIG, stackConfig } from '../testing/program-harness';
import { readStackSettings } from './stack-settings';
import { StackSettingsError } from './stack-settings-error';

const read = (stack: string, values: Record<string, string> = {}, configDir?: string) =>
  readStackSettings({
    stack,
    stackConfig: stackConfig({ ...TEST_STACK_CONFIG, ...values }),
    ...(configDir === undefined ? {} : { configDir }),
  });

function brokenConfigDir(env: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'finks-config-'));
  writeFileSync(
    join(dir, `${env}.yaml`),
    edit(readFileSync(join(DEFAULT_CONFIG_DIR, `${env}.yaml`), 'utf8')),
  );
  return dir;
}

describe('readStackSettings', () => {
  it('reads config/<env>.yaml for each stack', () => {
    for (const stack of ['dev', 'staging', 'prod']) {
      const settings = read(stack);
      expect(settings.env).toBe(stack);
      expect(settings.config.env).toBe(stack);
      expect(settings.config.region).toBe('ca-central-1');
      expect(settings.prefect).toEqual({ mode: 'self-hosted' });
    }
  });

  it('fails on an invalid environment config, naming the file and the field', () => {
    const dir = brokenConfigDir('staging', (text) =>
      text.replace(/logRetentionDays: \d+/, 'logRetentionDays: 13'),
    );
    let error: unknown;
    try {
      read('staging', {}, dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toContain('staging.yaml');
    expect(String((error as Error).message)).toContain('retention.logRetentionDays');
  });

  it('fails on a misspelt key with the field named', () => {
    const dir = brokenConfigDir('dev', (text) => text.replace('ingestionFmp:', 'ingestionFpm:'));
    expect(() => read('dev', {}, dir)).toThrow(/ecs\.ingestionFpm/);
  });

  it('refuses a stack that is not an AWS environment', () => {
    expect(() => read('local')).toThrow(StackSettingsError);
    expect(() => read('qa')).toThrow(/stack setting stack is "qa"/);
  });

  it('names a missing or malformed Pulumi stack setting', () => {
    expect(() =>
      readStackSettings({
        stack: 'dev',
        stackConfig: stackConfig({
          costCenter: 'x',
          githubRepository: 'a/b',
          glueScriptsDir: FIXTURE_GLUE_SCRIPTS,
        }),
      }),
    ).toThrow(/stack setting owner is required/);
    expect(() =>
      readStackSettings({
        stack: 'staging',
        stackConfig: stackConfig({
          owner: 'platform',
          costCenter: 'x',
          glueScriptsDir: FIXTURE_GLUE_SCRIPTS,
        }),
      }),
    ).toThrow(
      /stack setting githubRepository is required \(the GitHub repository as owner\/name\); set it with `pulumi config set githubRepository <value> --stack staging`/,
    );
    expect(() => read('dev', { githubRepository: 'not a repo' })).toThrow(/githubRepository/);
    expect(() => read('dev', { vpcCidr: '192.168.0.0/24' })).toThrow(/vpcCidr/);
    expect(() => read('dev', { prefectCloudApiUrl: 'http://example.com' })).toThrow(
      /prefectCloudApiUrl/,
    );
    expect(() => read('dev', { apiJwtIssuer: 'https://issuer.example.com' })).toThrow(
      /apiJwtAudience/,
    );
  });

  it('reads every Pulumi.<stack>.yaml as complete settings, the repository set there', () => {
    for (const stack of ['dev', 'staging', 'prod']) {
      const file = readFileSync(new URL(`../../Pulumi.${stack}.yaml`, import.meta.url), 'utf8');
      // The files are flat `finks-infrastructure:<key>: <value>` maps; no YAML library needed.
      const values = Object.fromEntries(
        [...file.matchAll(/^\s+finks-infrastructure:(\w+):\s*(\S+)\s*$/gm)].map((m) => [
          m[1] ?? '',
          m[2] ?? '',
        ]),
      );
      expect(file).toMatch(
        /# CHANGE THIS[^\n]*\n[^\n]*\n\s+finks-infrastructure:githubRepository:/,
      );
      const settings = readStackSettings({
        stack,
        stackConfig: stackConfig({ ...values, glueScriptsDir: FIXTURE_GLUE_SCRIPTS }),
      });
      expect(settings.githubRepository).toBe(values['githubRepository']);
    }
  });

  it('fails with a clear message when a Glue script is missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'finks-glue-'));
    expect(() => read('dev', { glueScriptsDir: empty })).toThrow(
      /glueScriptsDir has no cleanse_market_data\.py/,
    );
  });

  it('fails when a module the scripts import is missing beside them', () => {
    const scripts = mkdtempSync(join(tmpdir(), 'finks-glue-'));
    for (const script of ['cleanse_market_data', 'validate_schemas']) {
      writeFileSync(join(scripts, `${script}.py`), '');
    }
    expect(() => read('dev', { glueScriptsDir: scripts })).toThrow(
      /glueScriptsDir has no finks_silver\.py/,
    );
    writeFileSync(join(scripts, 'finks_silver.py'), '');
    expect(() => read('dev', { glueScriptsDir: scripts })).toThrow(
      /glueScriptsDir has no silver_lock\.py/,
    );
    writeFileSync(join(scripts, 'silver_lock.py'), '');
    expect(read('dev', { glueScriptsDir: scripts }).glueScriptsDir).toBe(scripts);
  });

  it('refuses an imageTag that makes a task image tag longer than Docker allows', () => {
    // The longest component, prefect-server, leaves 128 - 15 = 113 characters for imageTag.
    expect(read('dev', { imageTag: 'a'.repeat(113) }).imageTag).toHaveLength(113);
    expect(() => read('dev', { imageTag: 'a'.repeat(114) })).toThrow(
      /imageTag is too long: .*shorten imageTag to at most 113 characters/,
    );
  });

  it('switches to Prefect Cloud and JWT auth when configured', () => {
    const settings = read('prod', {
      prefectCloudApiUrl: 'https://api.prefect.cloud/api/accounts/abc/workspaces/def',
      apiJwtIssuer: 'https://issuer.example.com',
      apiJwtAudience: 'finks-api, finks-web',
    });
    expect(settings.prefect).toEqual({
      mode: 'cloud',
      apiUrl: 'https://api.prefect.cloud/api/accounts/abc/workspaces/def',
    });
    expect(settings.apiAuth).toEqual({
      kind: 'jwt',
      issuer: 'https://issuer.example.com',
      audience: ['finks-api', 'finks-web'],
    });
  });
});

describe('the entry point', () => {
  it('fails on a bad config before declaring any resource', async () => {
    const { installMocks, settle } = await import('../testing/pulumi-mocks');
    await installMocks('finks-infrastructure', 'prod');
    const pulumi = await import('@pulumi/pulumi');
    const dir = brokenConfigDir('prod', (text) =>
      text.replace("accountId: '333333333333'", 'accountId: 333333333333'),
    );
    pulumi.runtime.setAllConfig(
      Object.fromEntries(
        Object.entries({ ...TEST_STACK_CONFIG, configDir: dir }).map(([key, value]) => [
          `finks-infrastructure:${key}`,
          value,
        ]),
      ),
    );
    const { default: main } = await import('../main');
    expect(() => main()).toThrow(/accountId/);
    expect(await settle()).toEqual([]);
  });
});
