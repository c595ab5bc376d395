/**
 * Loopback networking for the test servers (databases, moto): a free TCP port to start them on.
 */
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (bound once by the OS, then released for the server to take). */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}
