import { randomUUID } from 'node:crypto';
import { RETRYABLE_STATUSES } from './retry';

interface CsrfTokenReply {
  readonly token: string;
  readonly expiration: string;
}

/**
 * CSRF tokens for servers started with PREFECT_SERVER_CSRF_PROTECTION_ENABLED. Like Prefect's
 * Python client (`src/prefect/client/base.py`): fetch a token lazily before the first mutating
 * request, renew it shortly before it expires or when the server rejects it (403), and switch
 * off for good when the server says protection is disabled (422) or has no such route (404).
 */
export class CsrfTokens {
  private readonly clientId = randomUUID();
  private mode: 'unknown' | 'enabled' | 'disabled';
  private token: string | undefined;
  private expiresAt = 0;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly apiUrl: string,
    private readonly send: (request: Request) => Promise<Response>,
    private readonly baseHeaders: () => Headers,
    enabled: boolean,
  ) {
    this.mode = enabled ? 'unknown' : 'disabled';
  }

  get active(): boolean {
    return this.mode === 'enabled';
  }

  /** Headers to add to a mutating request (none when CSRF protection is off). */
  async headers(signal: AbortSignal): Promise<Record<string, string>> {
    if (this.mode === 'disabled') return {};
    // Renew a minute early so a token never expires between here and the server.
    if (!this.token || Date.now() > this.expiresAt - 60_000) {
      this.pending ??= this.refresh(signal).finally(() => {
        this.pending = undefined;
      });
      await this.pending;
    }
    if (this.mode !== 'enabled' || !this.token) return {};
    return { 'Prefect-Csrf-Token': this.token, 'Prefect-Csrf-Client': this.clientId };
  }

  /** Forget the token after the server refused it, so the next request fetches a new one. */
  invalidate(): void {
    this.token = undefined;
  }

  private async refresh(signal: AbortSignal): Promise<void> {
    const url = `${this.apiUrl}/csrf-token?client=${encodeURIComponent(this.clientId)}`;
    const response = await this.send(new Request(url, { headers: this.baseHeaders(), signal }));
    if (response.status === 404 || response.status === 422) {
      await response.body?.cancel();
      this.mode = 'disabled';
      return;
    }
    if (!response.ok) {
      await response.body?.cancel();
      // Busy or restarting: let the caller's retry loop try again.
      if (RETRYABLE_STATUSES.has(response.status)) {
        throw new Error(`GET /csrf-token answered HTTP ${response.status}`);
      }
      // Anything else (401 without credentials, …): send the request without a token and let
      // its own answer explain; the next write asks for a token again.
      return;
    }
    const reply = (await response.json()) as CsrfTokenReply;
    this.token = reply.token;
    this.expiresAt = Date.parse(reply.expiration);
    this.mode = 'enabled';
  }
}

/** Whether a 403 is the CSRF middleware's ("Missing CSRF token." / "Invalid CSRF token …"). */
export async function isCsrfRejection(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  const text = await response.clone().text();
  return /csrf/i.test(text);
}
