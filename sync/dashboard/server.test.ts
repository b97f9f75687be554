import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { emptySnapshot } from '../stats/snapshot.ts';
import { startDashboardServer, type DashboardServer } from './server.ts';
import { DashboardState } from './state.ts';

let server: DashboardServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** This machine's first non-loopback IPv4 address, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
}

describe('startDashboardServer', () => {
  it('listens on 127.0.0.1 unless told otherwise: loopback answers, the machine\'s other addresses do not', async () => {
    server = await startDashboardServer({ port: 0 }, new DashboardState({ mode: 'agent', stats: { snapshot: () => emptySnapshot('none', 'off') } }));
    expect(server.url.hostname).toBe('127.0.0.1');
    const health = await fetch(new URL('/health', server.url));
    expect(health.status).toBe(200);
    const external = externalAddress();
    if (external === undefined) return;
    await expect(fetch(`http://${external}:${server.url.port}/health`, { headers: { host: `127.0.0.1:${server.url.port}` } })).rejects.toThrow();
  });
});
