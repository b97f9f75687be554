/**
 * A loopback port nothing listens on right now: the OS picks it, the probe
 * lets it go. Used for a child process's port (it may be taken again before
 * the child binds it, which loopback tests accept) and for a port whose
 * connections are refused.
 */
import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
