import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PINNED_PREFECT_VERSION } from '../src/prefect-version';

export const generatedDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'generated');
export const schemaFile = join(generatedDir, `prefect-${PINNED_PREFECT_VERSION}.openapi.json`);
export const typesFile = join(generatedDir, 'prefect-api.ts');

/** The committed schema as text: pretty-printed so that diffs between versions are readable. */
export function serializeSchema(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export function readCommittedSchema(): OpenAPI3 {
  return JSON.parse(readFileSync(schemaFile, 'utf8')) as OpenAPI3;
}

/**
 * Renders the TypeScript types for a Prefect schema, exactly as `openapi-typescript
 * --default-non-nullable false` would: fields with a server-side default (sort, offset,
 * filter operators, …) stay optional instead of becoming required.
 */
export async function renderTypes(schema: OpenAPI3, prefectVersion: string): Promise<string> {
  // openapi-typescript mutates the document while resolving it; work on a copy.
  const ast = await openapiTS(structuredClone(schema), { defaultNonNullable: false });
  const header = [
    '// Generated from the Prefect ' + prefectVersion + " server's /api/openapi.json by",
    '// libs/prefect/scripts/regenerate-schema.ts (openapi-typescript, --default-non-nullable false).',
    '// Do not edit: run `npx nx run prefect:regenerate-schema` instead.',
    '',
  ].join('\n');
  return `${header}${astToString(ast)}`;
}
