import { projectTestConfig } from '../../vitest.shared';

export default projectTestConfig('prefect', {
  globalSetup: ['tests/global-setup.ts'],
  // Runs wait on real orchestration (retry delays, a worker's poll loop, server restarts).
  testTimeout: 120_000,
});
