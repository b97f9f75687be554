// Shared by the worker tests: publishing tables into the local KV the way
// `edgress sync` does, pools of the echo servers, and sending requests to the
// worker. Tables are built with test/table-builders.ts.
import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { expect, inject } from 'vitest';
import { POINTER_KEY } from '../../src/storage/layout.ts';
import { buildPublication } from '../../src/storage/publication.ts';
import type { Middleware, Server, Service, Table } from '../../src/table/schema.ts';
import type { EdgeEnv } from '../../worker/base/env.ts';
import worker from '../../worker/index.ts';
import { pool, router, table } from '../table-builders.ts';
import type { Echo, EchoName } from '../upstreams/provided.ts';

export const upstreams = inject('upstreams');

/** Writes every value, then the pointer (as a publisher must); returns the version. */
export async function publish(table: Table): Promise<string> {
  const publication = await buildPublication(table);
  for (const [key, value] of publication.values) await env.TABLE.put(key, value);
  await env.TABLE.put(POINTER_KEY, publication.pointer);
  return publication.version;
}

/** A pool of echo servers (by name, weight 1) or explicit servers, for the Service `test/web:80`. */
export function echoPool(...members: readonly (EchoName | Server)[]): Extract<Service, { kind: 'servers' }> {
  return pool('web', members.map((member) => (typeof member === 'string' ? upstreams.echo[member] : member)));
}

/** The host of `publishThrough`'s route. */
export const THROUGH_HOST = 'mw.example.com';

/**
 * Publishes one route, `THROUGH_HOST` and every path, through `middlewares`
 * (in their order) to echo server a as service `web`, with `services` besides:
 * the table a test of one middleware kind needs.
 */
export async function publishThrough(middlewares: Readonly<Record<string, Middleware>>, services: Readonly<Record<string, Service>> = {}): Promise<void> {
  const route = router(THROUGH_HOST, '/', 'web', { middlewares: Object.keys(middlewares) });
  await publish(table({ routers: [route], middlewares, services: { web: echoPool('a'), ...services } }));
}

/**
 * Services for failure tests: `closed-first` offers a refused endpoint before
 * echo server a; `a-then-b` rotates between a and b.
 */
export function failoverServices(): Record<string, Service> {
  return { 'closed-first': echoPool({ address: upstreams.closed, weight: 1 }, 'a'), 'a-then-b': echoPool('a', 'b') };
}

/** Sends through the worker's default export; `overrides` replace bindings for this request. */
export async function send(url: string, init?: RequestInit, overrides?: Partial<EdgeEnv>): Promise<Response> {
  if (!overrides) return exports.default.fetch(url, init);
  return worker.fetch(new Request(url, init), { ...env, ...overrides }, createExecutionContext());
}

/** The echo of a proxied response, after checking it came from an echo server. */
export async function echoOf(response: Response): Promise<Echo> {
  expect(response.headers.get('content-type')).toBe('application/json');
  return (await response.json()) as Echo;
}

/** Which echo server answered each of `count` sequential GETs. */
export async function answerers(url: string, count: number): Promise<EchoName[]> {
  const names: EchoName[] = [];
  for (let i = 0; i < count; i++) names.push((await echoOf(await send(url))).name);
  return names;
}

/** Asserts an edge-generated plain-text response. */
export async function expectEdgeText(response: Response, status: number, text: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(await response.text()).toBe(`${text}\n`);
}
