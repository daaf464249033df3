/**
 * POSTs that may be sent again when we cannot tell whether the server acted on the first one
 * (timeout, dropped connection, 502 from a proxy, 408). Any other POST creates something or
 * spends something each time it lands: a second automation (every failure then notifies
 * twice), a leaked concurrency slot, duplicated logs or artifacts. GET, PUT, PATCH and DELETE
 * are idempotent by HTTP semantics and Prefect keeps to that.
 */
const REPEATABLE_POSTS: readonly RegExp[] = [
  // Read-only queries that take their filter as a body.
  /\/(filter|count|paginate)$/,
  // Upserts: a flow by name, a deployment by flow and name.
  /^\/flows\/$/,
  /^\/deployments\/$/,
  // Runs are created with an idempotency key; proposals carry a transition id.
  /^\/(flow_runs|task_runs)\/$/,
  /^\/(flow_runs|task_runs)\/[^/]+\/set_state$/,
  // A worker's poll and heartbeat, and a lease renewal: doing them twice is doing them once.
  /^\/work_pools\/[^/]+\/get_scheduled_flow_runs$/,
  /^\/work_pools\/[^/]+\/workers\/heartbeat$/,
  /^\/v2\/concurrency_limits\/leases\/[^/]+\/renew$/,
];

/** Whether `method` on `path` (relative to the API root, e.g. `/flows/`) is safe to repeat. */
export function isRepeatableRequest(method: string, path: string): boolean {
  if (method !== 'POST') return true;
  return REPEATABLE_POSTS.some((pattern) => pattern.test(path));
}

/**
 * Connection failures where the request never reached a server, so nothing was done and a
 * retry is safe for any method (a server still starting refuses connections).
 */
export function neverReachedServer(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}
