import { projectTestConfig } from '../../vitest.shared';

// The tests start their own moto instances (own ports and run dirs), ~2 s each.
export default projectTestConfig('dev-services', { testTimeout: 60_000 });
