import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../generated/prefect-api';
import { PrefectApiError, type PrefectRequestContext } from '../errors/prefect-api-error';
import { PrefectConnectionError } from '../errors/prefect-connection-error';
import { PINNED_PREFECT_VERSION, PREFECT_API_VERSION } from '../prefect-version';
import { CsrfTokens, isCsrfRejection } from './csrf';
import { isRepeatableRequest, neverReachedServer } from './repeatable-requests';
import { abortableSleep, RETRYABLE_STATUSES, retryDelayMs } from './retry';
import { normalizeApiUrl, type PrefectClientSettings } from './settings';

/** The typed openapi-fetch client over Prefect's REST API (paths without the `/api` prefix). */
export type PrefectApi = Client<paths>;
/** Every model of the pinned Prefect schema, e.g. `PrefectSchemas['FlowRun']`. */
export type PrefectSchemas = components['schemas'];

export interface PrefectClientStats {
  /** HTTP requests sent, retries and CSRF token fetches included. */
  requests: number;
  /** Of those, how many were retries after a retryable status or a connection error. */
  retries: number;
}

export interface PrefectClient {
  readonly apiUrl: string;
  readonly api: PrefectApi;
  readonly stats: PrefectClientStats;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Statuses that say the server did no work, so any request may be sent again. */
const NOTHING_DONE_STATUSES: ReadonlySet<number> = new Set([429, 503]);
const requestContexts = new WeakMap<Response, PrefectRequestContext>();

/**
 * A Prefect client: openapi-fetch over a fetch that adds basic auth, API version headers and
 * CSRF tokens, and retries with backoff (honouring `Retry-After`): 429/503 and refused
 * connections always, 408/502, timeouts and dropped connections only for requests that are
 * safe to repeat (`isRepeatableRequest`). Only the final outcome reaches the caller; use
 * `unwrap()` to turn non-2xx results into `PrefectApiError`s.
 */
export function createPrefectClient(settings: PrefectClientSettings): PrefectClient {
  const apiUrl = normalizeApiUrl(settings.apiUrl);
  const send = settings.fetch ?? ((request: Request) => globalThis.fetch(request));
  const maxRetries = settings.maxRetries ?? 16;
  const timing = {
    baseDelayMs: settings.retryBaseDelayMs ?? 200,
    maxDelayMs: settings.maxRetryDelayMs ?? 5_000,
    maxRetryAfterMs: 60_000,
  };
  const requestTimeoutMs = settings.requestTimeoutMs ?? 30_000;
  const stats: PrefectClientStats = { requests: 0, retries: 0 };

  const baseHeaders = (): Headers => {
    const headers = new Headers({
      'X-PREFECT-API-VERSION': PREFECT_API_VERSION,
      // Not "prefect/<version>": the server would take us for that Python client and expect
      // its behaviour (deployment concurrency lease renewal).
      'User-Agent': `finks-prefect-ts (Prefect ${PINNED_PREFECT_VERSION} schema; API ${PREFECT_API_VERSION})`,
    });
    if (settings.authString) {
      headers.set('Authorization', `Basic ${Buffer.from(settings.authString).toString('base64')}`);
    }
    return headers;
  };

  const countedSend = (request: Request): Promise<Response> => {
    stats.requests += 1;
    return send(request);
  };
  const csrf = new CsrfTokens(apiUrl, countedSend, baseHeaders, settings.csrf !== 'off');

  const prefectFetch = async (request: Request): Promise<Response> => {
    const method = request.method.toUpperCase();
    const context: PrefectRequestContext = { method, url: request.url };
    const body = method === 'GET' || method === 'HEAD' ? undefined : await request.arrayBuffer();
    // When the server may have acted on an attempt we got no clear answer to, only requests
    // that are safe to repeat go out again (a POST /automations/ would create a second one).
    const repeatable = isRepeatableRequest(method, apiPath(apiUrl, request.url));
    let csrfRenewed = false;
    for (let attempt = 0; ; attempt += 1) {
      const signal = AbortSignal.any([request.signal, AbortSignal.timeout(requestTimeoutMs)]);
      let response: Response;
      let sent = false;
      try {
        const headers = baseHeaders();
        request.headers.forEach((value, key) => headers.set(key, value));
        if (MUTATING.has(method)) {
          for (const [key, value] of Object.entries(await csrf.headers(signal))) {
            headers.set(key, value);
          }
        }
        sent = true;
        response = await countedSend(
          new Request(request.url, { method, headers, signal, ...(body ? { body } : {}) }),
        );
      } catch (error) {
        if (request.signal.aborted) throw request.signal.reason;
        const harmless = !sent || repeatable || neverReachedServer(error);
        if (attempt >= maxRetries || !harmless) throw new PrefectConnectionError(context, error);
        stats.retries += 1;
        await abortableSleep(retryDelayMs(attempt, timing, null), request.signal);
        continue;
      }
      if (MUTATING.has(method) && csrf.active && (await isCsrfRejection(response))) {
        csrf.invalidate();
        if (!csrfRenewed) {
          csrfRenewed = true;
          attempt -= 1;
          await response.body?.cancel();
          continue;
        }
      }
      const retryable =
        RETRYABLE_STATUSES.has(response.status) &&
        (repeatable || NOTHING_DONE_STATUSES.has(response.status));
      if (retryable && attempt < maxRetries) {
        const retryAfter = response.headers.get('Retry-After');
        await response.body?.cancel();
        stats.retries += 1;
        await abortableSleep(retryDelayMs(attempt, timing, retryAfter), request.signal);
        continue;
      }
      requestContexts.set(response, context);
      return response;
    }
  };

  const api = createClient<paths>({ baseUrl: apiUrl, fetch: prefectFetch });
  return { apiUrl, api, stats };
}

/** The request's path below the API root: `/flows/` for `http://h:4200/api/flows/`. */
function apiPath(apiUrl: string, url: string): string {
  const root = new URL(apiUrl).pathname.replace(/\/$/, '');
  const path = new URL(url).pathname;
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/**
 * The data of an openapi-fetch call, or a `PrefectApiError` carrying the status and Prefect's
 * `exception_detail` when the server answered non-2xx.
 */
export async function unwrap<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const result = await pending;
  if (!result.response.ok) {
    const context = requestContexts.get(result.response) ?? {
      method: 'request',
      url: result.response.url,
    };
    throw new PrefectApiError(result.response.status, context, result.error);
  }
  return result.data as T;
}

/** Like `unwrap`, but a 404 becomes `undefined` (reads of objects that may not exist). */
export async function unwrapOptional<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T | undefined> {
  try {
    return await unwrap(pending);
  } catch (error) {
    if (error instanceof PrefectApiError && error.status === 404) return undefined;
    throw error;
  }
}
