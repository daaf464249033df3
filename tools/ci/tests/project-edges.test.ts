// Nx in this workspace reads project edges from package.json dependencies only (nx.json does
// not turn on @nx/js source analysis). An app that imports a lib without listing it would not be
// redeployed when the lib changes; this test names the missing entry instead.
import { glob, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from './synthetic-workspace.ts';

const IMPORT = /(?:from\s+|import\s*\(\s*)['"](@finks\/[a-z0-9-]+)/g;

async function undeclaredImports(appRoot: string): Promise<string[]> {
  const pkg = JSON.parse(await readFile(join(workspaceRoot, appRoot, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const declared = new Set([
    pkg.name,
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.devDependencies ?? {}),
  ]);
  const missing = new Set<string>();
  for await (const file of glob(`${appRoot}/src/**/*.ts`, { cwd: workspaceRoot })) {
    if (/\.test(-d)?\.ts$/.test(file)) continue;
    const source = await readFile(join(workspaceRoot, file), 'utf8');
    for (const [, name] of source.matchAll(IMPORT)) {
      if (name && !declared.has(name)) missing.add(`${file} imports ${name}`);
    }
  }
  return [...missing].sort();
}

describe('deploy edges', () => {
  it('every @finks lib an app imports is in its package.json, so Nx sees the edge', async () => {
    const apps: string[] = [];
    for await (const projectJson of glob('apps/*/project.json', { cwd: workspaceRoot })) {
      apps.push(projectJson.replace(/\/project\.json$/, ''));
    }
    expect(apps.length).toBeGreaterThan(0);
    const missing = (await Promise.all(apps.map(undeclaredImports))).flat();
    expect(missing, 'add these to the app package.json dependencies as "*"').toEqual([]);
  });
});
