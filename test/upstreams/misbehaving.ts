// Upstreams that break the exchange in the ways pods and networks do, for
// the worker's fault tests: raw TCP servers, so nothing tidies the bytes.
// - `garbage`: reads the request, answers bytes that are not HTTP, closes;
// - `silent`: accepts and reads, never answers (until the test run ends);
// - `midReset`: sends a 200 head announcing 1000 bytes, 10 of them, then resets.
import net from 'node:net';

export type MisbehaviourName = 'garbage' | 'silent' | 'midReset';

const BEHAVIOURS: Readonly<Record<MisbehaviourName, (socket: net.Socket) => void>> = {
  garbage: (socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\n\x00\xff\xfe garbage\r\n\r\n')),
  silent: () => {},
  midReset: (socket) =>
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 1000\r\n\r\n0123456789');
      setTimeout(() => socket.resetAndDestroy(), 50);
    }),
};

/** Starts each misbehaving server on `host`; returns their `ip:port` and a closer. */
export async function startMisbehaving(host: string): Promise<{ addresses: Record<MisbehaviourName, string>; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const servers: net.Server[] = [];
  const addresses = {} as Record<MisbehaviourName, string>;
  for (const [name, behave] of Object.entries(BEHAVIOURS) as [MisbehaviourName, (socket: net.Socket) => void][]) {
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
      behave(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    servers.push(server);
    addresses[name] = `${host}:${(server.address() as net.AddressInfo).port}`;
  }
  return {
    addresses,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
