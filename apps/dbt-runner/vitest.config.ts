import { projectTestConfig } from '../../vitest.shared.ts';

export default projectTestConfig('dbt-runner', {
  globalSetup: ['tests/global-setup-services.ts', 'tests/global-setup-dbt.ts'],
  // Tests that start dbt wait for it (about 15-40 s per invocation on 2 cores).
  testTimeout: 180_000,
});
