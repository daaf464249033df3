import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that is free right now, for a test that runs its own service instance
 * (with its own FINKS_RUN_DIR) beside the shared ones.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port of a probe server'));
      });
    });
  });
}
