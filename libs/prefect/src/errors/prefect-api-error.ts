import { PrefectError, type PrefectErrorCode } from './prefect-error';

/** What the server said about a rejected request (FastAPI's `exception_detail` on 422s). */
export interface PrefectExceptionDetail {
  readonly loc?: readonly (string | number)[];
  readonly msg?: string;
  readonly type?: string;
  readonly [key: string]: unknown;
}

export interface PrefectRequestContext {
  readonly method: string;
  /** Full URL including the `/api` base. */
  readonly url: string;
}

function codeForStatus(status: number): PrefectErrorCode {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 422) return 'invalid_request';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'server';
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The Prefect API answered with a non-2xx status (after any retries). */
export class PrefectApiError extends PrefectError {
  override name = 'PrefectApiError';
  readonly status: number;
  readonly request: PrefectRequestContext;
  /** `exception_message` (Prefect) or `detail` (FastAPI) from the reply, if any. */
  readonly exceptionMessage: string | undefined;
  /** `exception_detail` from the reply: one entry per rejected field on a 422. */
  readonly exceptionDetail: readonly PrefectExceptionDetail[];
  /** The parsed reply body, kept whole for anything the fields above miss. */
  readonly body: unknown;

  constructor(status: number, request: PrefectRequestContext, body: unknown) {
    const record = asRecord(body);
    const exceptionMessage =
      typeof record?.['exception_message'] === 'string'
        ? record['exception_message']
        : typeof record?.['detail'] === 'string'
          ? record['detail']
          : undefined;
    const rawDetail = record?.['exception_detail'] ?? record?.['detail'];
    const exceptionDetail: PrefectExceptionDetail[] = Array.isArray(rawDetail)
      ? rawDetail.map((entry): PrefectExceptionDetail => asRecord(entry) ?? { msg: String(entry) })
      : [];
    const detailText = exceptionDetail
      .map((d) => `${Array.isArray(d.loc) ? d.loc.join('.') : ''}: ${d.msg ?? d.type ?? 'invalid'}`)
      .join('; ');
    const summary =
      exceptionMessage ?? (typeof body === 'string' && body ? body.slice(0, 200) : 'no details');
    super(
      codeForStatus(status),
      `Prefect API ${request.method} ${request.url} failed with HTTP ${status}: ${summary}` +
        (detailText ? ` (${detailText})` : ''),
    );
    this.status = status;
    this.request = request;
    this.exceptionMessage = exceptionMessage;
    this.exceptionDetail = exceptionDetail;
    this.body = body;
  }
}
