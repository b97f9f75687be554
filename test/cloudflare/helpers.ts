/**
 * Shared by the Cloudflare tests: a clock whose sleeps pass at once (time
 * moves by the amount slept), small tables, an API connection to the
 * stand-in, and an independent check that a namespace holds a complete table
 * as the worker would read it.
 */
import { expect } from 'vitest';
import type { Clock } from '../../sync/common/clock.ts';
import { checkManifest, checkPointer, contentHash, POINTER_KEY, type Manifest, type Pointer } from '../../src/storage/layout.ts';
import type { Router, Table } from '../../src/table/schema.ts';
import { connectCloudflare, type CloudflareApi } from '../../sync/publish/cloudflare/client.ts';
import { pool, router, table } from '../table-builders.ts';
import { CloudflareApiStandIn } from './api-server.ts';

export const TOKEN = 'test-token';
export const ACCOUNT = 'acc0123456789';
export const NAMESPACE = 'ns0123456789';
export const TUNNEL = '6ff42ae2-765d-4adf-8112-31c55c1551ef';

/** Sleeps return at once and move the clock on by the time slept. */
export class InstantClock implements Clock {
  #now = Date.UTC(2026, 0, 1);
  readonly sleeps: number[] = [];

  now(): number {
    return this.#now;
  }

  async sleep(ms: number): Promise<void> {
    if (ms <= 0) return;
    this.sleeps.push(ms);
    this.#now += ms;
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

export function startStandIn(options: Partial<Parameters<typeof CloudflareApiStandIn.start>[0]> = {}): Promise<CloudflareApiStandIn> {
  return CloudflareApiStandIn.start({ token: TOKEN, account: ACCOUNT, namespaces: [NAMESPACE], tunnels: [TUNNEL], ...options });
}

export function connect(standIn: CloudflareApiStandIn, clock: Clock): CloudflareApi {
  return connectCloudflare({ apiToken: TOKEN, accountId: ACCOUNT }, { baseUrl: standIn.baseUrl, clock });
}

/** A table with one router per host (all to one pool), and a default backend when `fallback` names a port. */
export function tableWith(hosts: readonly string[], fallback?: number): Table {
  const site = (host: string, index: number) => router(host, '/', 'default/web:80', { id: `default/site#${index}.0` });
  const web = { ...pool('web', ['10.0.0.1:8080']), target: { namespace: 'default', name: 'web', port: 80 } };
  if (fallback === undefined) return table({ routers: hosts.map(site), services: { 'default/web:80': web } });
  const { target: _, ...fallbackPool } = pool('fallback', [`10.0.0.2:${fallback}`]);
  return table({
    routers: hosts.map(site),
    defaultRouter: router('', { type: 'any' }, 'default/fallback', { id: 'default/site#default' }),
    services: { 'default/web:80': web, 'default/fallback': fallbackPool },
  });
}

/** The pointer in force, after checking that it and every value it leads to are stored and match their hashes. */
export async function expectComplete(values: ReadonlyMap<string, string>): Promise<Pointer> {
  const pointer = checkPointer(JSON.parse(values.get(POINTER_KEY) ?? 'null'));
  expect(pointer, 'pointer').toBeDefined();
  const manifest = await checkedValue<Manifest>(values, pointer!.manifest, checkManifest);
  const shards = [...manifest.buckets.filter((key): key is string => key !== null), ...(manifest.anyHost ? [manifest.anyHost] : [])];
  for (const key of shards) await checkedValue(values, key, (value) => value);
  return pointer!;
}

async function checkedValue<T>(values: ReadonlyMap<string, string>, key: string, check: (value: unknown) => T | undefined): Promise<T> {
  const text = values.get(key);
  expect(text, `value of ${key}`).toBeDefined();
  expect(await contentHash(text!), `hash of ${key}`).toBe(key.slice(key.lastIndexOf('/') + 1));
  const checked = check(JSON.parse(text!));
  expect(checked, `structure of ${key}`).toBeDefined();
  return checked!;
}
