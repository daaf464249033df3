// Regenerates src/generated/ from the pinned Prefect server: starts a throwaway server with the
// workspace's Prefect (.venv, pinned in tools/dev-env/python/requirements.lock), checks that it is
// the version in src/prefect-version.ts, fetches /api/openapi.json and renders the types.
//
//   npx nx run prefect:regenerate-schema
//
// After a Prefect upgrade: bump the lock and PINNED_PREFECT_VERSION, run this, delete the old
// schema file and review the diff of prefect-api.ts (tests/schema-drift.test.ts checks the rest).
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPI3 } from 'openapi-typescript';
import { PINNED_PREFECT_VERSION } from '../src/prefect-version';
import { startPrefectServer } from '../src/testing/prefect-server';
import { generatedDir, renderTypes, schemaFile, serializeSchema, typesFile } from './codegen';

async function main(): Promise<void> {
  const server = await startPrefectServer();
  try {
    const version = (await (await fetch(`${server.apiUrl}/admin/version`)).json()) as string;
    if (version !== PINNED_PREFECT_VERSION) {
      throw new Error(
        `The workspace's Prefect is ${version} but src/prefect-version.ts pins ${PINNED_PREFECT_VERSION}: ` +
          'update one of them (and tools/dev-env/python/requirements.lock) so they agree.',
      );
    }
    const response = await fetch(`${server.apiUrl}/openapi.json`);
    if (!response.ok) throw new Error(`GET /api/openapi.json answered HTTP ${response.status}.`);
    const schema = (await response.json()) as OpenAPI3;

    for (const file of readdirSync(generatedDir)) {
      if (/^prefect-.*\.openapi\.json$/.test(file)) rmSync(join(generatedDir, file));
    }
    writeFileSync(schemaFile, serializeSchema(schema));
    writeFileSync(typesFile, await renderTypes(schema, version));
    console.log(`Wrote ${schemaFile} and ${typesFile} from Prefect ${version}.`);
  } finally {
    await server.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
