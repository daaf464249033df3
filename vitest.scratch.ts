// Global setup every project's tests share (see vitest.shared.ts): one scratch folder per test
// run, handed to the tests and their child processes as TMPDIR and removed when the run ends.
// Tests make their lakes, dbt targets and configs under os.tmpdir(); before this, each full run
// left ≈ 30 MB of them behind in /tmp, and nothing ever removed them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/** Set to keep the scratch folder (its path is printed) to look at a failing test's files. */
export const KEEP_SCRATCH_ENV = 'FINKS_KEEP_TEST_SCRATCH';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const previous = process.env['TMPDIR'];
  const scratch = await mkdtemp(join(tmpdir(), `finks-test-${project.name}-`));
  // Workers start after global setup and inherit this environment; so do the processes the
  // tests spawn (dbt, PySpark, the connectors' CLIs), whose temporary files land here too.
  process.env['TMPDIR'] = scratch;
  return async () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    if (process.env[KEEP_SCRATCH_ENV] === '1') {
      console.log(`${project.name}: test scratch kept in ${scratch}`);
      return;
    }
    await rm(scratch, { recursive: true, force: true });
  };
}
