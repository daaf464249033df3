import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENVIRONMENTS } from './environments';
import { ConfigFileNotFoundError } from './errors/config-file-not-found-error';
import { ConfigValidationError } from './errors/config-validation-error';
import { UnknownEnvironmentError } from './errors/unknown-environment-error';
import { DEFAULT_CONFIG_DIR, loadConfig, resolveEnv } from './load-config';

function tempConfigDir(): string {
  return mkdtempSync(join(tmpdir(), 'finks-config-'));
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('loadConfig', () => {
  it.each(ENVIRONMENTS)('loads the committed config/%s.yaml', (env) => {
    const config = loadConfig({ env });
    expect(config.env).toBe(env);
    expect(config.region).toBe('ca-central-1');
    expect(config.lake.kind).toBe(env === 'local' ? 'filesystem' : 's3');
    expect(config.secretNames.fmpApiKey).toContain(`/${env}/`);
  });

  it('finds config/ at the repository root', () => {
    expect(DEFAULT_CONFIG_DIR).toMatch(/[/\\]config$/);
    expect(readFileSync(join(DEFAULT_CONFIG_DIR, 'local.yaml'), 'utf8')).toContain('env: local');
  });

  it('resolves the local lake root against the repository root', () => {
    const config = loadConfig({ env: 'local' });
    expect(config.lake).toEqual({
      kind: 'filesystem',
      root: join(DEFAULT_CONFIG_DIR, '..', '.finks', 'lake'),
    });
  });

  it('selects the environment from FINKS_ENV, defaulting to local', () => {
    vi.stubEnv('FINKS_ENV', 'staging');
    expect(loadConfig().env).toBe('staging');
    vi.stubEnv('FINKS_ENV', '');
    expect(loadConfig().env).toBe('local');
    expect(resolveEnv({ env: 'prod' })).toBe('prod');
  });

  it('names the allowed environments when FINKS_ENV is unknown', () => {
    vi.stubEnv('FINKS_ENV', 'qa');
    expect(() => loadConfig()).toThrow(UnknownEnvironmentError);
    expect(() => loadConfig()).toThrow(
      'FINKS_ENV "qa" is not a Finks environment; use one of: local, dev, staging, prod',
    );
    expect(() => loadConfig({ env: 'production' })).toThrow(
      /env option "production".*local, dev, staging, prod/,
    );
  });

  it('names the path of a missing file', () => {
    const dir = tempConfigDir();
    let caught: unknown;
    try {
      loadConfig({ env: 'dev', configDir: dir });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigFileNotFoundError);
    expect((caught as ConfigFileNotFoundError).code).toBe('missing_file');
    expect((caught as Error).message).toContain(join(dir, 'dev.yaml'));
  });

  it('reads FINKS_CONFIG_DIR and reports problems against the file it read', () => {
    const dir = tempConfigDir();
    const committed = readFileSync(join(DEFAULT_CONFIG_DIR, 'dev.yaml'), 'utf8');
    writeFileSync(join(dir, 'dev.yaml'), committed.replace('memory: 1024 }', 'memory: 1000 }'));
    vi.stubEnv('FINKS_CONFIG_DIR', dir);
    let caught: unknown;
    try {
      loadConfig({ env: 'dev' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    expect((caught as Error).message).toContain(join(dir, 'dev.yaml'));
    expect((caught as Error).message).toMatch(
      /ecs\.dbtRunner\.memory \(line \d+\): memory 1000 MiB/,
    );
  });
});
