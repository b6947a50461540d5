// A 127.0.0.1 port nobody listens on right now, for daemons that take a port by number (radosgw, ceph-mon,
// docker-registry) rather than listening on 0. It can be taken between this check and their bind: callers
// that start a daemon retry on a bind failure.
import { createServer } from 'node:net';

/** A currently free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
