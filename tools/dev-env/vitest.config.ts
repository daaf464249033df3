import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('dev-env', {
  // Starts moto, FerretDB and Prefect (or reuses them) before any test runs.
  globalSetup: ['./tests/global-setup.ts'],
  // A local SparkSession takes ~20 s to come up on a 2-core runner.
  testTimeout: 120_000,
});
