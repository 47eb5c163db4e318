import { createServer } from 'node:net';

/**
 * Asks the kernel for a free port on `host` (bind port 0, read it, close). Another
 * process could take it before the app binds; the app then crashes and is restarted.
 */
export function pickFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port was assigned'))));
    });
  });
}
