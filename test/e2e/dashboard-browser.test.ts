/**
 * The dashboard page in a real browser (headless Chromium): `edgress dev
 * --dashboard-port` serving a small cluster, requests sent through dev, then
 * what an operator sees: every host, the request counts, a diagnostic with
 * its object and annotation, the search box, and annotation text that holds
 * markup shown as text, never run.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './harness/browser.ts';
import { request } from './harness/edgress.ts';
import { MARKUP_HEADER, SCRIPT_ANNOTATION, startDashboardCluster, type DashboardCluster } from './harness/dashboard-cluster.ts';

let cluster: DashboardCluster;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  cluster = await startDashboardCluster();
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(new URL('/', cluster.dashboard).href);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
});

const text = (selector: string) => page.locator(selector).allTextContents();

describe('the dashboard page', () => {
  it('shows every host of the table with its routes, Services and endpoints', async () => {
    await page.locator('.host').first().waitFor();
    expect(await text('.host-name')).toEqual(['notes.example.com', 'shop.example.com']);
    const shop = page.locator('.host[data-host="shop.example.com"]');
    expect(await shop.locator('.route .rule').allTextContents()).toEqual(['Prefix /', 'Prefix /api']);
    expect(await shop.locator('.route .service').first().textContent()).toContain('default/web:8080');
    expect(await shop.locator('.route .endpoint').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('(web-0)'), expect.stringContaining('(api-0)')]));
  });

  it('counts requests as they are served', async () => {
    for (let i = 0; i < 4; i++) expect((await request(cluster.dev.url, '/api/x', { host: 'shop.example.com' })).status).toBe(200);
    expect((await request(cluster.dev.url, '/', { host: 'shop.example.com', headers: { 'x-echo-status': '502' } })).status).toBe(502);
    const apiRow = page.locator('.host[data-host="shop.example.com"] .route').filter({ hasText: 'Prefix /api' });
    await expect.poll(() => apiRow.locator('.requests').textContent(), { timeout: 10_000 }).toBe('4');
    const rootRow = page.locator('.host[data-host="shop.example.com"] .route').first();
    expect(await rootRow.locator('.rule').textContent()).toBe('Prefix /');
    await expect.poll(() => rootRow.locator('.status-5xx').textContent(), { timeout: 10_000 }).toBe('1');
    await expect.poll(() => page.locator('#total-requests .value').textContent(), { timeout: 10_000 }).toBe('5');
    expect((await request(cluster.dev.url, '/', { host: 'stray.example.org' })).status).toBe(404);
    await expect.poll(() => page.locator('#hosts .unmatched').textContent(), { timeout: 10_000 }).toContain('stray.example.org 1');
    expect(await apiRow.locator('svg.chart rect.bar').count()).toBe(1);
    expect(await apiRow.locator('.p95').textContent()).toMatch(/^\d+(\.\d)? ms$/);
  });

  it('lists the diagnostic with its object and annotation, the script shown as text', async () => {
    const row = page.locator('#diagnostics tr.diagnostic').filter({ hasText: 'default/evil' });
    await row.waitFor();
    expect(await row.locator('.object').textContent()).toBe('Ingress default/evil');
    expect(await row.locator('.field').textContent()).toBe('traefik.ingress.kubernetes.io/rule-type');
    expect(await row.locator('.message').textContent()).toContain(SCRIPT_ANNOTATION.slice(0, 30));
  });

  it('never runs annotation text: no script or img element came from data, nothing executed', async () => {
    // The header annotation's markup is a middleware's configuration, shown as text in its tooltip.
    const notes = page.locator('.host[data-host="notes.example.com"] .middleware');
    expect(await notes.first().getAttribute('title')).toContain(MARKUP_HEADER.slice(0, MARKUP_HEADER.indexOf('"')));
    expect(await page.evaluate(() => (window as unknown as { __edgressPwned?: number }).__edgressPwned)).toBeUndefined();
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(consoleErrors, consoleErrors.join("\n")).toEqual([]);
  });

  it('filters hosts, routes and diagnostics with the search box', async () => {
    await page.fill('#search', 'notes');
    await expect.poll(() => text('.host-name')).toEqual(['notes.example.com']);
    expect(await page.locator('#diagnostics tr.diagnostic').count()).toBe(0);
    await page.fill('#search', '/api');
    await expect.poll(() => page.locator('.route .rule').allTextContents()).toEqual(['Prefix /api']);
    await page.fill('#search', 'rule-type');
    await expect.poll(() => page.locator('#diagnostics tr.diagnostic').count()).toBe(1);
    await page.fill('#search', 'no-such-thing');
    await expect.poll(() => page.locator('#hosts').textContent()).toContain('Nothing matches');
    await page.fill('#search', '');
    await expect.poll(() => text('.host-name')).toEqual(['notes.example.com', 'shop.example.com']);
  });

  it('shows the publication in force and the edge-host state as not enabled', async () => {
    const publication = page.locator('#publications tr.publication').first();
    expect(await publication.textContent()).toContain('in force');
    expect(await page.locator('#edge-hosts').textContent()).toMatch(/^not enabled/);
  });
});
