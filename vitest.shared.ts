// The vitest settings every project shares. Each project's vitest.config.ts calls
// projectTestConfig(name) so results land in .finks/test-results/<name>.json, where
// tools/test-summary.ts adds them up into the closing `N passed, N failed` line.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { defineConfig } from 'vitest/config';

const workspaceRoot = dirname(fileURLToPath(import.meta.url));

export interface ProjectTestOptions {
  /** Files that start the real services this project's tests need (see libs/dev-services). */
  readonly globalSetup?: readonly string[];
  /** Per-test timeout; integration tests against real services need more than the default. */
  readonly testTimeout?: number;
}

export function projectTestConfig(projectName: string, options: ProjectTestOptions = {}) {
  return defineConfig({
    test: {
      name: projectName,
      include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: join(workspaceRoot, '.finks', 'test-results', `${projectName}.json`) },
      // The scratch folder comes last: services the setups before it start keep the machine's
      // TMPDIR (they may outlive this run), and its teardown, which runs first, removes it.
      globalSetup: [...(options.globalSetup ?? []), join(workspaceRoot, 'vitest.scratch.ts')],
      testTimeout: options.testTimeout ?? 10_000,
      hookTimeout: 180_000,
      // A project without tests is a mistake, not a pass.
      passWithNoTests: false,
      typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'tests/**/*.test-d.ts'] },
    },
  });
}
