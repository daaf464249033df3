import { projectTestConfig } from '../../vitest.shared.ts';

// The static-check tests run real binaries (actionlint, gitleaks, hadolint, check-jsonschema)
// that the global setup installs once into FINKS_CACHE; the synthetic-history tests run nx.
export default projectTestConfig('ci', {
  globalSetup: ['tests/global-setup.ts'],
  testTimeout: 60_000,
});
