import { projectTestConfig } from '../../vitest.shared.ts';

export default projectTestConfig('ingestion', {
  globalSetup: ['tests/global-setup.ts'],
  testTimeout: 60_000,
});
