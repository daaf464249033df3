import { unwrap, unwrapOptional, type PrefectClient, type PrefectSchemas } from '../client/client';
import { PrefectArgumentError } from '../errors/prefect-argument-error';
import { FINKS_WORKER_TYPE, finksBaseJobTemplate } from '../worker/job-template';
import { sameJson, type Applied } from './apply-result';

export interface WorkPoolSpec {
  readonly name: string;
  /** Default `finks-node`, the type `finks-worker` serves. */
  readonly type?: string;
  /** Default: the finks-worker base job template. */
  readonly baseJobTemplate?: Record<string, unknown>;
  readonly description?: string;
  readonly concurrencyLimit?: number;
  readonly paused?: boolean;
}

export interface WorkQueueSpec {
  readonly pool: string;
  readonly name: string;
  readonly description?: string;
  readonly priority?: number;
  readonly concurrencyLimit?: number;
  readonly paused?: boolean;
}

export async function applyWorkPool(
  client: PrefectClient,
  spec: WorkPoolSpec,
): Promise<Applied<PrefectSchemas['WorkPoolResponse']>> {
  if (spec.name.toLowerCase().startsWith('prefect')) {
    throw new PrefectArgumentError(
      `Work pool "${spec.name}": names starting with "prefect" are reserved.`,
    );
  }
  const { api } = client;
  const desired = {
    description: spec.description ?? null,
    base_job_template:
      spec.baseJobTemplate ?? (finksBaseJobTemplate() as unknown as Record<string, unknown>),
    concurrency_limit: spec.concurrencyLimit ?? null,
    is_paused: spec.paused ?? false,
  };
  const path = { params: { path: { name: spec.name } } };
  const existing = await unwrapOptional(api.GET('/work_pools/{name}', path));
  if (!existing) {
    const created = await unwrap(
      api.POST('/work_pools/', {
        body: { name: spec.name, type: spec.type ?? FINKS_WORKER_TYPE, ...desired },
      }),
    );
    return { action: 'created', id: created.id, object: created };
  }
  if (spec.type !== undefined && existing.type !== spec.type) {
    throw new PrefectArgumentError(
      `Work pool "${spec.name}" exists with type "${existing.type}", not "${spec.type}": a pool's type cannot change; delete it first.`,
    );
  }
  const current = {
    description: existing.description ?? null,
    base_job_template: existing.base_job_template ?? {},
    concurrency_limit: existing.concurrency_limit ?? null,
    is_paused: existing.is_paused ?? false,
  };
  if (sameJson(current, desired)) return { action: 'unchanged', id: existing.id, object: existing };
  await unwrap(api.PATCH('/work_pools/{name}', { ...path, body: desired }));
  const updated = await unwrap(api.GET('/work_pools/{name}', path));
  return { action: 'updated', id: updated.id, object: updated };
}

export async function applyWorkQueue(
  client: PrefectClient,
  spec: WorkQueueSpec,
): Promise<Applied<PrefectSchemas['WorkQueueResponse']>> {
  const { api } = client;
  const path = { params: { path: { work_pool_name: spec.pool, name: spec.name } } };
  const desired = {
    description: spec.description ?? '',
    concurrency_limit: spec.concurrencyLimit ?? null,
    is_paused: spec.paused ?? false,
    ...(spec.priority !== undefined ? { priority: spec.priority } : {}),
  };
  const existing = await unwrapOptional(
    api.GET('/work_pools/{work_pool_name}/queues/{name}', path),
  );
  if (!existing) {
    const created = await unwrap(
      api.POST('/work_pools/{work_pool_name}/queues', {
        params: { path: { work_pool_name: spec.pool } },
        body: { name: spec.name, ...desired },
      }),
    );
    return { action: 'created', id: created.id, object: created };
  }
  const current = {
    description: existing.description ?? '',
    concurrency_limit: existing.concurrency_limit ?? null,
    is_paused: existing.is_paused ?? false,
    ...(spec.priority !== undefined ? { priority: existing.priority } : {}),
  };
  if (sameJson(current, desired)) return { action: 'unchanged', id: existing.id, object: existing };
  await unwrap(api.PATCH('/work_pools/{work_pool_name}/queues/{name}', { ...path, body: desired }));
  const updated = await unwrap(api.GET('/work_pools/{work_pool_name}/queues/{name}', path));
  return { action: 'updated', id: updated.id, object: updated };
}
