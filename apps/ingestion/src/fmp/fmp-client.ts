import { FmpRequestError, type FmpRequestContext } from '../errors';
import type { Logger } from '../observability/logger';
import { silentLogger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { RateLimiter } from './rate-limiter';
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  retryDelayMs,
  sleep,
  type RetryPolicy,
} from './retry';

export interface FmpClientOptions {
  /** `https://financialmodelingprep.com/stable`, or a fake market's `http://127.0.0.1:PORT/stable`. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly limiter: RateLimiter;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly random?: () => number;
  /** Pages one paged request may read (`pages`); more fails the request. Default 1000. */
  readonly maxPages?: number;
}

export interface FmpResponse {
  readonly rows: readonly unknown[];
  readonly fetchedAt: Date;
}

/**
 * GETs on the FMP stable API. Every attempt takes a token from the shared limiter; transient
 * failures (network, timeouts, 408, 429, 5xx, truncated bodies, 200 + "Limit Reach") are
 * retried, auth and plan errors fail at once with what to fix.
 */
export class FmpClient {
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;

  constructor(private readonly options: FmpClientOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.logger = options.logger ?? silentLogger;
    this.logger.redact(options.apiKey);
  }

  async get(
    endpoint: string,
    params: Readonly<Record<string, string>>,
    signal?: AbortSignal,
  ): Promise<FmpResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(endpoint, params, attempt, signal);
      } catch (error) {
        if (
          !(error instanceof FmpRequestError) ||
          !error.retryable ||
          attempt >= this.retry.maxAttempts
        ) {
          throw error;
        }
        const delay = retryDelayMs(attempt, this.retry, error.retryAfterMs, this.options.random);
        this.options.metrics?.add('Retries');
        this.logger.log('warn', 'retrying FMP request', {
          endpoint,
          params,
          attempt,
          delay_ms: delay,
          code: error.code,
          reason: error.message,
        });
        await sleep(delay, signal);
      }
    }
  }

  /**
   * Pages `page=0,1,…` until FMP returns an empty array (it sends no total or cursor). A request
   * whose pages do not end within `maxPages` fails, not retryable: stopping quietly would let its
   * caller take the pages read for all of them and move a bookmark past what was never read.
   */
  async *pages(
    endpoint: string,
    params: Readonly<Record<string, string>>,
    signal?: AbortSignal,
  ): AsyncGenerator<FmpResponse & { readonly page: number }> {
    const maxPages = this.options.maxPages ?? 1000;
    for (let page = 0; page < maxPages; page++) {
      const response = await this.get(endpoint, { ...params, page: String(page) }, signal);
      if (response.rows.length === 0) return;
      yield { ...response, page };
    }
    throw new FmpRequestError(
      'bad_response',
      `more than ${maxPages} pages for this request, the most one request may read; narrow --from/--to so each request covers less`,
      { endpoint, params },
      { retryable: false },
    );
  }

  private async attempt(
    endpoint: string,
    params: Readonly<Record<string, string>>,
    attempt: number,
    signal?: AbortSignal,
  ): Promise<FmpResponse> {
    const release = await this.options.limiter.acquire(signal);
    const context: FmpRequestContext = { endpoint, params, attempts: attempt };
    try {
      const url = new URL(`${this.options.baseUrl.replace(/\/+$/, '')}/${endpoint}`);
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      url.searchParams.set('apikey', this.options.apiKey);
      const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
      this.options.metrics?.add('Requests');
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          headers: { accept: 'application/json' },
        });
        text = await response.text();
      } catch (error) {
        if (signal?.aborted === true) throw error;
        const timedOut = timeout.aborted;
        // The cause may carry the URL, and the URL the key: keep only its message.
        throw new FmpRequestError(
          'network',
          timedOut
            ? `FMP did not answer within ${this.options.timeoutMs ?? 30_000} ms`
            : `network error: ${describeCause(error)}`,
          context,
          { retryable: true },
        );
      }
      return {
        rows: this.classify(response, text, { ...context, status: response.status }),
        fetchedAt: new Date(),
      };
    } finally {
      release();
    }
  }

  private classify(
    response: Response,
    text: string,
    context: FmpRequestContext,
  ): readonly unknown[] {
    const status = response.status;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const bodyMessage = errorMessageOf(text);
    const retryAfter = retryAfterMs === undefined ? {} : { retryAfterMs };
    if (status === 401) {
      throw new FmpRequestError(
        'auth',
        'FMP rejected the API key: set FMP_API_KEY (or the fmp-api-key secret in Secrets Manager) to a valid key',
        context,
        { retryable: false },
      );
    }
    if (status === 402) {
      throw new FmpRequestError(
        'plan',
        `this endpoint or symbol is not in the FMP plan ("${clip(bodyMessage ?? text)}"); upgrade the plan or drop the dataset with --datasets`,
        context,
        { retryable: false },
      );
    }
    if (status === 403) {
      throw new FmpRequestError(
        'plan',
        `FMP refused the endpoint ("${clip(bodyMessage ?? text)}"); only /stable endpoints work for new accounts — check FMP_BASE_URL`,
        context,
        { retryable: false },
      );
    }
    if (status === 404) {
      throw new FmpRequestError('not_found', `FMP has no endpoint ${context.endpoint}`, context, {
        retryable: false,
      });
    }
    if (status === 429) {
      this.options.metrics?.add('RateLimited');
      throw new FmpRequestError(
        'rate_limited',
        `FMP rate limit reached ("${clip(bodyMessage ?? text)}")`,
        context,
        { retryable: true, ...retryAfter },
      );
    }
    if (status === 408 || status >= 500) {
      throw new FmpRequestError('server', `FMP answered HTTP ${status}`, context, {
        retryable: true,
        ...retryAfter,
      });
    }
    if (status < 200 || status >= 300) {
      throw new FmpRequestError('bad_response', `unexpected HTTP ${status}`, context, {
        retryable: false,
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new FmpRequestError(
        'bad_response',
        `FMP sent a body that is not complete JSON (${text.length} bytes)`,
        context,
        { retryable: true },
      );
    }
    if (Array.isArray(body)) return body;
    if (bodyMessage !== undefined) {
      // FMP reports some errors with HTTP 200; the text says which.
      if (/limit reach/i.test(bodyMessage)) {
        this.options.metrics?.add('RateLimited');
        throw new FmpRequestError(
          'rate_limited',
          `FMP rate limit reached ("${clip(bodyMessage)}")`,
          context,
          { retryable: true, ...retryAfter },
        );
      }
      if (/api key/i.test(bodyMessage)) {
        throw new FmpRequestError(
          'auth',
          'FMP rejected the API key: set FMP_API_KEY (or the fmp-api-key secret) to a valid key',
          context,
          { retryable: false },
        );
      }
      if (/legacy|subscription|restricted|premium/i.test(bodyMessage)) {
        throw new FmpRequestError('plan', `not in the FMP plan ("${clip(bodyMessage)}")`, context, {
          retryable: false,
        });
      }
      throw new FmpRequestError(
        'bad_response',
        `FMP returned an error: "${clip(bodyMessage)}"`,
        context,
        { retryable: true },
      );
    }
    throw new FmpRequestError(
      'bad_response',
      'FMP returned an object where a JSON array was expected',
      context,
      { retryable: false },
    );
  }
}

function errorMessageOf(text: string): string | undefined {
  // Data comes as a JSON array and errors as an object or plain text: skip parsing a large
  // response twice (it cost ~4 % of the benchmark's main thread).
  if (text.trimStart().startsWith('[')) return undefined;
  try {
    const body: unknown = JSON.parse(text);
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      const message = (body as Record<string, unknown>)['Error Message'];
      if (typeof message === 'string') return message;
    }
  } catch {
    // 402 bodies are plain text; the caller quotes the text itself.
  }
  return undefined;
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.name : 'unknown');
}
