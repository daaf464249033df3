import { flow } from '../src/index';

/** The smallest deployable flow: pickup latency is all that is measured with it. */
export const benchNoop = flow('bench-noop', async () => 'ok');
