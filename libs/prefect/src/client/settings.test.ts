import { describe, expect, it } from 'vitest';
import { PrefectConfigurationError } from '../errors/prefect-configuration-error';
import { normalizeApiUrl, prefectSettingsFromEnv } from './settings';

describe('prefectSettingsFromEnv', () => {
  it('returns undefined without PREFECT_API_URL (local runs)', () => {
    expect(prefectSettingsFromEnv({})).toBeUndefined();
    expect(prefectSettingsFromEnv({ PREFECT_API_URL: ' ' })).toBeUndefined();
  });

  it('reads the URL, the auth string and the retry count', () => {
    expect(
      prefectSettingsFromEnv({
        PREFECT_API_URL: 'http://127.0.0.1:4200/api/',
        PREFECT_API_AUTH_STRING: 'admin:pw',
        PREFECT_CLIENT_MAX_RETRIES: '2',
      }),
    ).toEqual({ apiUrl: 'http://127.0.0.1:4200/api', authString: 'admin:pw', maxRetries: 2 });
  });

  it('refuses a Prefect Cloud API key for a self-hosted server', () => {
    expect(() =>
      prefectSettingsFromEnv({ PREFECT_API_URL: 'http://x/api', PREFECT_API_KEY: 'pnu_x' }),
    ).toThrow(PrefectConfigurationError);
  });
});

describe('normalizeApiUrl', () => {
  it('requires the /api suffix the schema paths leave out', () => {
    expect(normalizeApiUrl('http://127.0.0.1:4200/api')).toBe('http://127.0.0.1:4200/api');
    expect(() => normalizeApiUrl('http://127.0.0.1:4200')).toThrow(/must end in \/api/);
    expect(() => normalizeApiUrl('not a url')).toThrow(/is not a URL/);
  });
});
