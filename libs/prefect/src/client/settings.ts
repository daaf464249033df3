import { PrefectConfigurationError } from '../errors/prefect-configuration-error';

/** How the client reaches a Prefect API. */
export interface PrefectClientSettings {
  /** Must end in `/api`, e.g. `http://127.0.0.1:4200/api` (the schema's paths have no prefix). */
  readonly apiUrl: string;
  /** `user:pass` for a self-hosted server with `PREFECT_SERVER_API_AUTH_STRING`; sent as Basic. */
  readonly authString?: string;
  /**
   * Retries after the first attempt for retryable failures (default 16: about a minute of
   * backoff, enough for a server restart or a burst of SQLite lock contention).
   */
  readonly maxRetries?: number;
  /**
   * First backoff delay; doubles per retry up to `maxRetryDelayMs` (default 200 ms: SQLite's
   * "database is locked" 503s come back at once and usually clear within milliseconds).
   */
  readonly retryBaseDelayMs?: number;
  /**
   * Upper bound for one backoff wait (default 5 s: short waits recover fast from lock
   * contention; the many retries still cover a minute-long outage). `Retry-After` may ask for up
   * to 60 s.
   */
  readonly maxRetryDelayMs?: number;
  /** Per-attempt timeout; a timed-out attempt is retried like a refused connection (default 30 s). */
  readonly requestTimeoutMs?: number;
  /**
   * CSRF tokens: `auto` asks the server once and turns itself off when the server says CSRF
   * protection is disabled (422) or unknown (404), like Prefect's Python client.
   */
  readonly csrf?: 'auto' | 'off';
  /** Replaces globalThis.fetch (tests). */
  readonly fetch?: (request: Request) => Promise<Response>;
}

export type PrefectEnv = Readonly<Record<string, string | undefined>>;

/**
 * Reads `PREFECT_API_URL`, `PREFECT_API_AUTH_STRING` and `PREFECT_CLIENT_MAX_RETRIES`.
 * Returns undefined when no API is configured: the runtime then runs flows locally.
 */
export function prefectSettingsFromEnv(
  env: PrefectEnv = process.env,
): PrefectClientSettings | undefined {
  const apiUrl = env['PREFECT_API_URL']?.trim();
  if (!apiUrl) return undefined;
  if (env['PREFECT_API_KEY'] && !env['PREFECT_API_AUTH_STRING']) {
    throw new PrefectConfigurationError(
      'PREFECT_API_KEY is set but this client talks to self-hosted servers only: use ' +
        'PREFECT_API_AUTH_STRING ("user:pass") for basic auth, and unset PREFECT_API_KEY.',
    );
  }
  const maxRetries = env['PREFECT_CLIENT_MAX_RETRIES'];
  return {
    apiUrl: normalizeApiUrl(apiUrl),
    ...(env['PREFECT_API_AUTH_STRING'] ? { authString: env['PREFECT_API_AUTH_STRING'] } : {}),
    ...(maxRetries !== undefined && maxRetries !== ''
      ? { maxRetries: parseNonNegativeInt('PREFECT_CLIENT_MAX_RETRIES', maxRetries) }
      : {}),
  };
}

export function normalizeApiUrl(apiUrl: string): string {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new PrefectConfigurationError(
      `PREFECT_API_URL "${apiUrl}" is not a URL; expected e.g. http://127.0.0.1:4200/api.`,
    );
  }
  const trimmed = url.href.replace(/\/+$/, '');
  if (!trimmed.endsWith('/api')) {
    throw new PrefectConfigurationError(
      `PREFECT_API_URL "${apiUrl}" must end in /api (e.g. http://127.0.0.1:4200/api): ` +
        'the REST API is mounted there and the schema paths have no prefix.',
    );
  }
  return trimmed;
}

function parseNonNegativeInt(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new PrefectConfigurationError(`${name} must be a non-negative integer, got "${value}".`);
  }
  return parsed;
}
