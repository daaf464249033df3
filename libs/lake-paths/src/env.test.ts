import { describe, expect, it } from 'vitest';
import { ENVS, isEnv, parseEnv } from './env';
import { catchLakePathError } from './testing/catch-lake-path-error';

describe('Env', () => {
  it('lists the four environments', () => {
    expect(ENVS).toEqual(['local', 'dev', 'staging', 'prod']);
  });

  it('accepts each environment and nothing else', () => {
    for (const env of ENVS) expect(parseEnv(env)).toBe(env);
    expect(isEnv('qa')).toBe(false);
    expect(isEnv('PROD')).toBe(false);
    expect(isEnv(undefined)).toBe(false);
  });

  it('names the environment and the allowed values when it is unknown', () => {
    const error = catchLakePathError(() => parseEnv('qa'));
    expect(error.code).toBe('invalid_env');
    expect(error.message).toBe(
      'env "qa" is not an environment (expected one of local, dev, staging, prod)',
    );
  });
});
