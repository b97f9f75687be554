import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../../test/e2e/harness/raw-http.ts';
import { startHealthServer, type HealthServer } from './health-server.ts';
import type { AgentMetrics } from './metrics.ts';

let server: HealthServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('--metrics-port server', () => {
  it('answers an unparsable absolute-form target with 400 and keeps serving (any pod can reach this port)', async () => {
    server = await startHealthServer({ port: 0, host: '127.0.0.1' }, { ready: true, metrics: {} as AgentMetrics });
    const base = new URL(`http://127.0.0.1:${server.port}/`);
    const status = async (target: string) => (await rawRequest(base, [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1'])).status;
    expect(await status('http://[')).toBe(400);
    expect(await status('/healthz')).toBe(200);
    expect(await status('/readyz')).toBe(200);
  });
});
