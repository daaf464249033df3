// The boundary rules only matter if they bite: each case lints a probe file in a real project
// folder (never written to disk) with the workspace's own ESLint config.
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { nx, workspaceRoot } from './workspace';

let eslint: ESLint;

beforeAll(async () => {
  // The Nx rule reads the cached project graph and silently skips itself when there is none,
  // so make sure one exists (nx lint does the same before running ESLint).
  await nx(['show', 'projects']);
  eslint = new ESLint({ cwd: workspaceRoot });
}, 120_000);

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(workspaceRoot, file) });
  const messages = (result?.messages ?? [])
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
  // A skipped rule reports a warning instead of checking: that must never pass for "allowed".
  expect(messages.join('\n')).not.toMatch(/No cached ProjectGraph/);
  return messages;
}

const useIt = '\nexport const probe = x;\n';

describe('module boundaries', () => {
  it('fails an app importing another app by package name', async () => {
    const errors = await boundaryErrors(
      'apps/pipelines/src/boundary-probe.ts',
      `import { x } from '@finks/infrastructure';${useIt}`,
    );
    expect(errors).toEqual(['Imports of apps are forbidden']);
  });

  it('fails an app importing another app by relative path', async () => {
    const errors = await boundaryErrors(
      'apps/dbt-runner/src/boundary-probe.ts',
      `import { x } from '../../ingestion/src/main';${useIt}`,
    );
    expect(errors.join('\n')).toMatch(/Projects cannot be imported by a relative or absolute path/);
  });

  it('fails a shared lib importing an app', async () => {
    const errors = await boundaryErrors(
      'libs/lake-paths/src/boundary-probe.ts',
      `import { x } from '@finks/ingestion';${useIt}`,
    );
    // When the app already uses this lib, Nx reports the cycle first; either way lint fails.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^(Imports of apps are forbidden|Circular dependency between)/);
  });

  it('allows an app to import a shared lib', async () => {
    const errors = await boundaryErrors(
      'apps/pipelines/src/boundary-probe.ts',
      `import { x } from '@finks/config';${useIt}`,
    );
    expect(errors).toEqual([]);
  });

  it('bans @pulumi/* outside scope:infrastructure and allows it inside', async () => {
    const source = `import { x } from '@pulumi/pulumi';${useIt}`;
    const outside = await boundaryErrors('apps/ingestion/src/boundary-probe.ts', source);
    expect(outside).toEqual([
      'A project tagged with "scope:ingestion" is not allowed to import "@pulumi/pulumi"',
    ]);
    const inside = await boundaryErrors('apps/infrastructure/src/boundary-probe.ts', source);
    expect(inside).toEqual([]);
  });
});
