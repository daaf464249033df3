import { unwrap, unwrapOptional, type PrefectClient, type PrefectSchemas } from '../client/client';
import { PrefectArgumentError } from '../errors/prefect-argument-error';
import { sameJson, type Applied } from './apply-result';

export type VariableValue = PrefectSchemas['VariableCreate']['value'];

export interface VariableSpec {
  /** Lowercase letters, digits, dashes and underscores; at most 255 characters. */
  readonly name: string;
  /** Any JSON value. */
  readonly value: VariableValue;
  readonly tags?: readonly string[];
}

const VARIABLE_NAME = /^[a-z0-9_-]+$/;

export async function applyVariable(
  client: PrefectClient,
  spec: VariableSpec,
): Promise<Applied<PrefectSchemas['Variable']>> {
  if (!VARIABLE_NAME.test(spec.name) || spec.name.length > 255) {
    throw new PrefectArgumentError(
      `Variable name "${spec.name}" must be at most 255 lowercase letters, digits, dashes or underscores.`,
    );
  }
  const { api } = client;
  const path = { params: { path: { name: spec.name } } };
  const tags = [...(spec.tags ?? [])];
  const existing = await unwrapOptional(api.GET('/variables/name/{name}', path));
  if (!existing) {
    const created = await unwrap(
      api.POST('/variables/', { body: { name: spec.name, value: spec.value, tags } }),
    );
    return { action: 'created', id: created.id, object: created };
  }
  if (sameJson(existing.value, spec.value) && sameJson(existing.tags ?? [], tags)) {
    return { action: 'unchanged', id: existing.id, object: existing };
  }
  await unwrap(api.PATCH('/variables/name/{name}', { ...path, body: { value: spec.value, tags } }));
  const updated = await unwrap(api.GET('/variables/name/{name}', path));
  return { action: 'updated', id: updated.id, object: updated };
}
