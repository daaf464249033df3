import { mergeConfig } from 'vitest/config';
import { projectTestConfig } from '../../vitest.shared';

export default mergeConfig(
  projectTestConfig('prefect', {
    globalSetup: ['tests/global-setup.ts'],
    // Runs wait on real orchestration (retry delays, a worker's poll loop, server restarts).
    testTimeout: 120_000,
  }),
  // One file at a time: the files share one SQLite-backed Prefect server, which answers
  // concurrent writers with 503s, and parallel files made the worker tests' timings flaky.
  { test: { fileParallelism: false } },
);
