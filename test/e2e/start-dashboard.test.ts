/**
 * `npm start` (examples/start.ts) with its dashboard: after some requests,
 * `/api/providers` lists the example hosts, `/health` counts the requests
 * served, and the page in headless Chromium shows every example host and
 * the request counts. Ports come from PORT and DASHBOARD_PORT (free ones
 * here; 8787 and 8788 by default).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './harness/browser.ts';
import { eventually } from './harness/dashboard-cluster.ts';
import { REPO, request } from './harness/edgress.ts';
import { freePort } from './harness/free-port.ts';

const EXAMPLE_HOSTS = ['*', '*.preview.example.com', 'legacy.example.com', 'shop.example.com'];
let child: ChildProcess;
let front: URL;
let dashboard: URL;

beforeAll(async () => {
  const [port, dashboardPort] = [await freePort(), await freePort()];
  child = spawn(process.execPath, [join(REPO, 'examples/start.ts')], { env: { ...process.env, PORT: String(port), DASHBOARD_PORT: String(dashboardPort) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not print the dashboard address:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(`Dashboard: http://localhost:${dashboardPort}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
  front = new URL(`http://127.0.0.1:${port}`);
  dashboard = new URL(`http://localhost:${dashboardPort}`);
}, 90_000);
afterAll(async () => {
  if (child?.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

describe('npm start with the dashboard', () => {
  it('lists the example hosts, counts the requests served, and shows both in a browser', async () => {
    const providers = (await (await fetch(new URL('/api/providers', dashboard))).json()) as { kubernetes: { frontends: Record<string, { routes: Record<string, { rule: string }> }> } };
    const hosts = Object.values(providers.kubernetes.frontends).flatMap((frontend) => Object.values(frontend.routes).map((route) => route.rule)).filter((rule) => rule.startsWith('Host'));
    expect(hosts).toEqual(expect.arrayContaining(['Host:shop.example.com', 'Host:legacy.example.com']));
    for (const [host, path] of [['shop.example.com', '/'], ['shop.example.com', '/api/orders'], ['legacy.example.com', '/app/users'], ['pr-42.preview.example.com', '/']] as const) {
      expect((await request(front, path, { host })).status).toBe(200);
    }
    await eventually(async () => {
      const health = (await (await fetch(new URL('/health', dashboard))).json()) as { total_count: number };
      expect(health.total_count).toBe(4);
    });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(dashboard.href);
      await page.locator('.host').first().waitFor();
      expect(await page.locator('.host-name').allTextContents()).toEqual(EXAMPLE_HOSTS.slice(1).concat('*'));
      await expect.poll(() => page.locator('#total-requests .value').textContent()).toBe('4');
      const shopCounts = await page.locator('.host[data-host="shop.example.com"] .route .requests').allTextContents();
      expect(shopCounts.map(Number).reduce((a, b) => a + b, 0)).toBe(2);
    } finally {
      await browser.close();
    }
  });
});
