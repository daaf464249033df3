// CI's drift check: the committed schema, the committed types and the Prefect the workspace
// runs must agree. Fix a failure with `npx nx run prefect:regenerate-schema`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { PINNED_PREFECT_VERSION } from '../src/index';
import { workspaceRoot } from '../src/testing/index';
import { readCommittedSchema, renderTypes, schemaFile, typesFile } from '../scripts/codegen';

describe('schema drift', () => {
  it('the committed types are exactly what openapi-typescript makes of the committed schema', async () => {
    const expected = await renderTypes(readCommittedSchema(), PINNED_PREFECT_VERSION);
    const committed = readFileSync(typesFile, 'utf8');
    // Compare without a 19k-line diff in the report when they differ.
    expect(committed.length).toBe(expected.length);
    expect(committed === expected).toBe(true);
  });

  it('the committed schema is what the running (pinned) Prefect server serves', async () => {
    const apiUrl = inject('prefectApiUrl');
    const version = (await (await fetch(`${apiUrl}/admin/version`)).json()) as string;
    expect(version).toBe(PINNED_PREFECT_VERSION);
    const live = (await (await fetch(`${apiUrl}/openapi.json`)).json()) as unknown;
    expect(live).toEqual(readCommittedSchema());
  });

  it('pins the same Prefect version as the Python lock file', () => {
    const lock = readFileSync(
      join(workspaceRoot(), 'tools/dev-env/python/requirements.lock'),
      'utf8',
    );
    expect(lock).toMatch(
      new RegExp(`^prefect==${PINNED_PREFECT_VERSION.replaceAll('.', '\\.')}\\b`, 'm'),
    );
    expect(schemaFile.endsWith(`prefect-${PINNED_PREFECT_VERSION}.openapi.json`)).toBe(true);
    expect(readFileSync(typesFile, 'utf8')).toContain(`Prefect ${PINNED_PREFECT_VERSION} server`);
  });
});
