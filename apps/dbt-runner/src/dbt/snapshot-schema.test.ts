// Infrastructure creates the Glue database the snapshots are built in, and grants the dbt task
// role on it, by glueSnapshotsDatabaseName. dbt picks the database itself: the target schema (the
// gold database on Athena) joined with the snapshot's custom schema by its default
// generate_schema_name. These tests keep the two the same database.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { glueDatabaseName, glueSnapshotsDatabaseName } from '@finks/iam-names';
import { DBT_PROJECT_DIR } from '../app-root';
import { athenaTargetEnvironment } from './target-environment';

interface SnapshotsFile {
  readonly snapshots?: readonly { readonly config?: { readonly schema?: string } }[];
}

async function snapshotSchemas(): Promise<string[]> {
  const folder = join(DBT_PROJECT_DIR, 'snapshots');
  const schemas: string[] = [];
  for (const file of (await readdir(folder)).filter((name) => /\.ya?ml$/.test(name))) {
    const parsed = parse(await readFile(join(folder, file), 'utf8')) as SnapshotsFile | null;
    for (const snapshot of parsed?.snapshots ?? []) schemas.push(snapshot.config?.schema ?? '');
  }
  return schemas;
}

describe('the snapshots database on Athena', () => {
  it.each(['dev', 'staging', 'prod'] as const)(
    'is the one infrastructure creates in %s',
    async (env) => {
      const schemas = await snapshotSchemas();
      expect(schemas.length).toBeGreaterThan(0);
      const target = athenaTargetEnvironment({
        env,
        accountId: '111111111111',
        region: 'ca-central-1',
      }).env['FINKS_DBT_SCHEMA'];
      expect(target).toBe(glueDatabaseName({ env, zone: 'gold' }));
      for (const schema of schemas) {
        expect(`${target}_${schema}`).toBe(glueSnapshotsDatabaseName({ env }));
      }
    },
  );

  it("leaves the naming to dbt's default generate_schema_name", async () => {
    const macros = join(DBT_PROJECT_DIR, 'macros');
    for (const file of await readdir(macros)) {
      const text = await readFile(join(macros, file), 'utf8');
      expect(text, file).not.toMatch(/macro\s+generate_schema_name\b/);
    }
    const project = parse(await readFile(join(DBT_PROJECT_DIR, 'dbt_project.yml'), 'utf8')) as {
      snapshots?: unknown;
    };
    expect(JSON.stringify(project.snapshots ?? {})).not.toContain('schema');
  });
});
