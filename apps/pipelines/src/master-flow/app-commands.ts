// The other apps are reached through their command-line entry points, never imported: locally a
// child process, in AWS the same entry point as an ECS task. This file says where they are.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** tsx runs the TypeScript entry points as they are, the way `nx run <app>:<target>` does. */
export const tsxBin = join(workspaceRoot, 'node_modules/.bin/tsx');

export const appEntryPoints = {
  ingestion: join(workspaceRoot, 'apps/ingestion/src/main.ts'),
  fakeFmp: join(workspaceRoot, 'apps/ingestion/src/fake-fmp/main.ts'),
  dbtRunner: join(workspaceRoot, 'apps/dbt-runner/src/main.ts'),
} as const;
