import { unwrap, unwrapOptional, type PrefectClient, type PrefectSchemas } from '../client/client';
import { sameJson, type Applied } from './apply-result';

export interface FlowSpec {
  readonly name: string;
  readonly tags?: readonly string[];
}

/** Creates the flow or brings its tags in line (POST /flows/ alone never updates them). */
export async function applyFlow(
  client: PrefectClient,
  spec: FlowSpec,
): Promise<Applied<PrefectSchemas['Flow']>> {
  const { api } = client;
  const existing = await unwrapOptional(
    api.GET('/flows/name/{name}', { params: { path: { name: spec.name } } }),
  );
  if (!existing) {
    const created = await unwrap(
      api.POST('/flows/', { body: { name: spec.name, tags: [...(spec.tags ?? [])] } }),
    );
    return { action: 'created', id: created.id, object: created };
  }
  const tags = [...(spec.tags ?? [])];
  if (sameJson(existing.tags ?? [], tags)) {
    return { action: 'unchanged', id: existing.id, object: existing };
  }
  await unwrap(api.PATCH('/flows/{id}', { params: { path: { id: existing.id } }, body: { tags } }));
  const updated = await unwrap(api.GET('/flows/{id}', { params: { path: { id: existing.id } } }));
  return { action: 'updated', id: updated.id, object: updated };
}
