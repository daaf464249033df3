import { projectTestConfig } from '../../vitest.shared.ts';

// The CLI test spawns tsx, which takes a few seconds on the shared 2-core machine.
export default projectTestConfig('ecs-deploy', { testTimeout: 30_000 });
