import { projectTestConfig } from '../../vitest.shared.ts';

export default projectTestConfig('pipelines', {
  // FerretDB is the master flow's portfolio database.
  globalSetup: ['./tests/global-setup.ts'],
  // DuckDB runs over a small lake take seconds on a shared 2-core machine.
  testTimeout: 60_000,
});
