import { createServer } from 'node:net';

/**
 * Asks the kernel for an unused TCP port by binding port 0 and closing again.
 * The port is only free at the moment of asking: another process can take it
 * before the caller binds, so callers must be prepared to retry.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`could not determine a free port on ${host}`));
        return;
      }
      server.close((closeError) => (closeError ? reject(closeError) : resolve(address.port)));
    });
  });
}
