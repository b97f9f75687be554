// globalSetup of the `worker` test project (runs in Node): starts the echo
// servers, the fake relay and finds a closed port, then provides their
// addresses to the tests and to the Miniflare options (see vitest.config.ts).
import http from 'node:http';
import type { TestProject } from 'vitest/node';
import { addressOf, listen, startEchoServer } from './echo-server.ts';
import { startFakeRelay } from './fake-relay.ts';
import { startMisbehaving } from './misbehaving.ts';
import { ECHO_NAMES, type EchoName, type Upstreams } from './provided.ts';
import { upgradedSockets } from './websocket.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers: http.Server[] = [];
  const echo = {} as Record<EchoName, string>;
  for (const [index, name] of ECHO_NAMES.entries()) {
    const server = await startEchoServer(name, `127.0.0.${index + 2}`);
    servers.push(server);
    echo[name] = addressOf(server);
  }
  const relay = await startFakeRelay('127.0.0.1');
  servers.push(relay);
  const misbehaving = await startMisbehaving('127.0.0.10');
  const upstreams: Upstreams = { echo, closed: await closedAddress('127.0.0.9'), relay: addressOf(relay), misbehaving: misbehaving.addresses };
  project.provide('upstreams', upstreams);
  return async () => {
    await misbehaving.close();
    for (const socket of upgradedSockets) socket.destroy();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  };
}

/** An address whose port was just free: connections to it are refused. */
async function closedAddress(host: string): Promise<string> {
  const server = http.createServer();
  const address = await listen(server, host);
  await new Promise((resolve) => server.close(resolve));
  return address;
}
