import { z, type ZodObject } from 'zod';
import { unwrap, unwrapOptional, type PrefectClient, type PrefectSchemas } from '../client/client';
import { PrefectArgumentError } from '../errors/prefect-argument-error';
import { sameJson, type Applied } from './apply-result';

export interface BlockTypeSpec {
  /** Lowercase letters, digits and dashes; may not start with "prefect". */
  readonly slug: string;
  readonly name: string;
  readonly description?: string;
  readonly documentationUrl?: string;
  readonly logoUrl?: string;
  readonly codeExample?: string;
}

export interface BlockSchemaSpec {
  readonly blockTypeSlug: string;
  /** JSON Schema of the block's data (title, type: object, properties, required). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Names of fields the server must obfuscate on reads. */
  readonly secretFields?: readonly string[];
  readonly capabilities?: readonly string[];
  readonly version?: string;
}

export interface BlockDocumentSpec {
  readonly blockTypeSlug: string;
  /** Lowercase letters, digits and dashes. */
  readonly name: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Default: the newest schema of the block type. */
  readonly blockSchemaId?: string;
}

type BlockType = PrefectSchemas['BlockType'];
type BlockSchema = PrefectSchemas['BlockSchema'];
type BlockDocument = PrefectSchemas['BlockDocument'];

const SLUG = /^[a-z0-9-]+$/;

function checkSlug(what: string, value: string): void {
  if (!SLUG.test(value)) {
    throw new PrefectArgumentError(
      `${what} "${value}" must use only lowercase letters, digits and dashes.`,
    );
  }
}

export async function applyBlockType(
  client: PrefectClient,
  spec: BlockTypeSpec,
): Promise<Applied<BlockType>> {
  checkSlug('Block type slug', spec.slug);
  if (spec.slug.startsWith('prefect') || spec.name.toLowerCase().startsWith('prefect')) {
    throw new PrefectArgumentError(
      `Block type "${spec.name}": names starting with "prefect" are reserved.`,
    );
  }
  const { api } = client;
  const desired = {
    description: spec.description ?? null,
    documentation_url: spec.documentationUrl ?? null,
    logo_url: spec.logoUrl ?? null,
    code_example: spec.codeExample ?? null,
  };
  const existing = await unwrapOptional(
    api.GET('/block_types/slug/{slug}', { params: { path: { slug: spec.slug } } }),
  );
  if (!existing) {
    const created = await unwrap(
      api.POST('/block_types/', { body: { name: spec.name, slug: spec.slug, ...desired } }),
    );
    return { action: 'created', id: created.id, object: created };
  }
  const current = {
    description: existing.description ?? null,
    documentation_url: existing.documentation_url ?? null,
    logo_url: existing.logo_url ?? null,
    code_example: existing.code_example ?? null,
  };
  if (sameJson(current, desired)) return { action: 'unchanged', id: existing.id, object: existing };
  await unwrap(
    api.PATCH('/block_types/{id}', { params: { path: { id: existing.id } }, body: desired }),
  );
  const updated = await unwrap(
    api.GET('/block_types/slug/{slug}', { params: { path: { slug: spec.slug } } }),
  );
  return { action: 'updated', id: updated.id, object: updated };
}

/**
 * Registers a block schema. The server identifies schemas by a checksum of their fields: the
 * same fields and version return the existing schema (HTTP 200) instead of a new one (201).
 */
export async function applyBlockSchema(
  client: PrefectClient,
  spec: BlockSchemaSpec,
): Promise<Applied<BlockSchema>> {
  const { api } = client;
  const blockType = await unwrap(
    api.GET('/block_types/slug/{slug}', { params: { path: { slug: spec.blockTypeSlug } } }),
  );
  const fields = {
    ...spec.fields,
    block_type_slug: spec.blockTypeSlug,
    secret_fields: [...(spec.secretFields ?? [])],
    block_schema_references: {},
  };
  const result = await api.POST('/block_schemas/', {
    body: {
      block_type_id: blockType.id,
      fields,
      capabilities: [...(spec.capabilities ?? [])],
      ...(spec.version !== undefined ? { version: spec.version } : {}),
    },
  });
  const schema = await unwrap(Promise.resolve(result));
  return {
    action: result.response.status === 201 ? 'created' : 'unchanged',
    id: schema.id,
    object: schema,
  };
}

async function newestSchemaId(client: PrefectClient, blockTypeId: string): Promise<string> {
  const schemas = await unwrap(
    client.api.POST('/block_schemas/filter', {
      body: { block_schemas: { block_type_id: { any_: [blockTypeId] } }, limit: 1 },
    }),
  );
  const schema = schemas[0];
  if (!schema)
    throw new PrefectArgumentError(`Block type ${blockTypeId} has no schema yet: apply one first.`);
  return schema.id;
}

/**
 * Creates or updates a named block document. Compared with its secrets revealed
 * (`include_secrets=true`), and replaced whole when it differs (no merge with old data).
 */
export async function applyBlockDocument(
  client: PrefectClient,
  spec: BlockDocumentSpec,
): Promise<Applied<BlockDocument>> {
  checkSlug('Block document name', spec.name);
  const { api } = client;
  const path = {
    params: {
      path: { slug: spec.blockTypeSlug, block_document_name: spec.name },
      query: { include_secrets: true },
    },
  };
  const blockType = await unwrap(
    api.GET('/block_types/slug/{slug}', { params: { path: { slug: spec.blockTypeSlug } } }),
  );
  const schemaId = spec.blockSchemaId ?? (await newestSchemaId(client, blockType.id));
  const data = { ...spec.data };
  const existing = await unwrapOptional(
    api.GET('/block_types/slug/{slug}/block_documents/name/{block_document_name}', path),
  );
  if (!existing) {
    const created = await unwrap(
      api.POST('/block_documents/', {
        body: {
          name: spec.name,
          block_type_id: blockType.id,
          block_schema_id: schemaId,
          data,
          is_anonymous: false,
        },
      }),
    );
    return { action: 'created', id: created.id, object: created };
  }
  if (existing.block_schema_id === schemaId && sameJson(existing.data ?? {}, data)) {
    return { action: 'unchanged', id: existing.id, object: existing };
  }
  await unwrap(
    api.PATCH('/block_documents/{id}', {
      params: { path: { id: existing.id } },
      body: { data, block_schema_id: schemaId, merge_existing_data: false },
    }),
  );
  const updated = await unwrap(
    api.GET('/block_types/slug/{slug}/block_documents/name/{block_document_name}', path),
  );
  return { action: 'updated', id: updated.id, object: updated };
}

/**
 * Block schema fields from a zod object, as Prefect's Python `Block.schema()` shapes them:
 * secret fields become `{ type: string, format: password, writeOnly: true }`.
 */
export function blockFieldsFromZod(
  title: string,
  schema: ZodObject,
  secretFields: readonly string[] = [],
): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-7' }) as Record<
    string,
    unknown
  >;
  delete json['$schema'];
  const properties = { ...((json['properties'] ?? {}) as Record<string, Record<string, unknown>>) };
  for (const field of secretFields) {
    const property = properties[field];
    if (!property)
      throw new PrefectArgumentError(`Secret field "${field}" is not a field of block "${title}".`);
    properties[field] = { ...property, format: 'password', writeOnly: true };
  }
  return { title, type: 'object', ...json, properties };
}

export interface BlockSpec<S extends ZodObject> {
  readonly type: BlockTypeSpec;
  readonly fields: S;
  readonly secretFields?: readonly (keyof z.input<S> & string)[];
  readonly documents?: readonly { readonly name: string; readonly data: z.input<S> }[];
}

export interface AppliedBlock {
  readonly type: Applied<BlockType>;
  readonly schema: Applied<BlockSchema>;
  readonly documents: readonly Applied<BlockDocument>[];
}

/** A block type, its schema from zod, and named documents (validated by the same schema). */
export async function applyBlock<S extends ZodObject>(
  client: PrefectClient,
  spec: BlockSpec<S>,
): Promise<AppliedBlock> {
  const documents = (spec.documents ?? []).map((document) => ({
    name: document.name,
    data: spec.fields.parse(document.data) as Record<string, unknown>,
  }));
  const type = await applyBlockType(client, spec.type);
  const schema = await applyBlockSchema(client, {
    blockTypeSlug: spec.type.slug,
    fields: blockFieldsFromZod(spec.type.name, spec.fields, spec.secretFields ?? []),
    secretFields: spec.secretFields ?? [],
  });
  const applied: Applied<BlockDocument>[] = [];
  for (const document of documents) {
    applied.push(
      await applyBlockDocument(client, {
        blockTypeSlug: spec.type.slug,
        name: document.name,
        data: document.data,
        blockSchemaId: schema.id,
      }),
    );
  }
  return { type, schema, documents: applied };
}
