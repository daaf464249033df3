import { setTimeout as sleep } from 'node:timers/promises';
import { unwrap, type PrefectClient } from '../client/client';
import { parseRetryAfterMs } from '../client/retry';
import { PrefectApiError } from '../errors/prefect-api-error';
import type { RunLogger } from './run-logger';

/**
 * Slots held on the `tag:<tag>` concurrency limits of a task run's tags, the way Prefect 3's
 * Python task engine holds them (`prefect.concurrency` with a lease, around the whole run,
 * retries included): the server answers 423 with a Retry-After while a limit is full, the
 * lease is renewed while the run lasts, and released when it ends. Limits made with
 * `prefect concurrency-limit create <tag> <n>` or in the UI are of this kind.
 */
export interface HeldTagSlots {
  /** Names of the limits that applied (`tag:…`); empty when none of the tags has one. */
  readonly limits: readonly string[];
  release(): Promise<void>;
}

/** The lease the server gives; renewed at ¾ of it. Python's task engine asks for 60 s too. */
const LEASE_SECONDS = 60;
/** Used when a 423 comes without a usable Retry-After. */
const DEFAULT_WAIT_MS = 1_000;

export async function acquireTagSlots(
  client: PrefectClient,
  taskRunId: string,
  tags: readonly string[],
  logger: RunLogger,
  signal?: AbortSignal,
): Promise<HeldTagSlots | undefined> {
  if (tags.length === 0) return undefined;
  const names = tags.map((tag) => `tag:${tag}`);
  let waitedSince: number | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const result = await client.api.POST('/v2/concurrency_limits/increment-with-lease', {
      body: {
        names,
        slots: 1,
        mode: 'concurrency',
        lease_duration: LEASE_SECONDS,
        holder: { type: 'task_run', id: taskRunId },
      },
    });
    if (result.response.status === 423) {
      const waitMs =
        parseRetryAfterMs(result.response.headers.get('Retry-After')) ?? DEFAULT_WAIT_MS;
      if (waitedSince === undefined) {
        waitedSince = Date.now();
        logger.info(`Waiting for a concurrency slot on ${names.join(', ')}`);
      }
      await sleep(Math.max(waitMs, 100), undefined, signal ? { signal } : {});
      continue;
    }
    const lease = await unwrap(Promise.resolve(result));
    const limits = lease.limits.map((limit) => limit.name);
    // Tags without a limit: nothing is held; the empty lease expires by itself (as in Python).
    if (limits.length === 0) return undefined;
    if (waitedSince !== undefined) {
      logger.info(
        `Acquired a concurrency slot on ${limits.join(', ')} after ${((Date.now() - waitedSince) / 1000).toFixed(1)} s`,
      );
    }
    return holdLease(client, lease.lease_id, limits, logger);
  }
}

function holdLease(
  client: PrefectClient,
  leaseId: string,
  limits: readonly string[],
  logger: RunLogger,
): HeldTagSlots {
  const renewal = setInterval(
    () => {
      unwrap(
        client.api.POST('/v2/concurrency_limits/leases/{lease_id}/renew', {
          params: { path: { lease_id: leaseId } },
          body: { lease_duration: LEASE_SECONDS },
        }),
      ).catch((error: unknown) => {
        // The server frees the slots when a lease expires; the run goes on, as Python's does
        // unless told to be strict.
        logger.warning(
          `Could not renew the concurrency lease on ${limits.join(', ')}: ${
            error instanceof PrefectApiError ? `HTTP ${error.status}` : String(error)
          }`,
        );
      });
    },
    (LEASE_SECONDS * 1000 * 3) / 4,
  );
  renewal.unref();
  let released = false;
  return {
    limits,
    async release() {
      if (released) return;
      released = true;
      clearInterval(renewal);
      try {
        await unwrap(
          client.api.POST('/v2/concurrency_limits/decrement-with-lease', {
            body: { lease_id: leaseId },
          }),
        );
      } catch (error) {
        // An expired lease has freed its slots already; anything else is worth a line.
        if (!(error instanceof PrefectApiError && error.status === 404)) {
          logger.warning(
            `Could not release the concurrency slots on ${limits.join(', ')}: ${String(error)}`,
          );
        }
      }
    },
  };
}
