// Shared by the worker tests: publishing tables into the local KV the way
// `edgress sync` does, table builders, and sending requests to the worker.
import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { expect, inject } from 'vitest';
import { POINTER_KEY } from '../../src/storage/layout.ts';
import { buildPublication } from '../../src/storage/publication.ts';
import type { Middleware, PathMatch, Router, Server, Service, Table } from '../../src/table/schema.ts';
import type { EdgeEnv } from '../../worker/env.ts';
import worker from '../../worker/index.ts';
import type { Echo, EchoName } from '../upstreams/provided.ts';

export const upstreams = inject('upstreams');

/** Writes every value, then the pointer (as a publisher must); returns the version. */
export async function publish(table: Table): Promise<string> {
  const publication = await buildPublication(table);
  for (const [key, value] of publication.values) await env.TABLE.put(key, value);
  await env.TABLE.put(POINTER_KEY, publication.pointer);
  return publication.version;
}

export interface TableParts {
  readonly routers: readonly Router[];
  readonly services: Readonly<Record<string, Service>>;
  readonly middlewares?: Readonly<Record<string, Middleware>>;
  readonly defaultRouter?: Router;
}

export function table(parts: TableParts): Table {
  return {
    schema: 1,
    routers: [...parts.routers],
    ...(parts.defaultRouter ? { defaultRouter: parts.defaultRouter } : {}),
    middlewares: { ...parts.middlewares },
    services: { ...parts.services },
  };
}

let routerCount = 0;

/** A router; `path` alone means a Prefix rule. */
export function router(host: string, match: PathMatch | string, service: string, extra: Partial<Router> = {}): Router {
  routerCount += 1;
  return {
    id: `test/ingress#${routerCount}`,
    source: 'test/ingress',
    host,
    match: typeof match === 'string' ? { type: 'prefix', path: match } : match,
    priority: 0,
    middlewares: [],
    service,
    passHostHeader: true,
    ...extra,
  };
}

/** A pool of echo servers (by name, weight 1) or explicit servers. */
export function pool(...members: readonly (EchoName | Server)[]): Extract<Service, { kind: 'servers' }> {
  return {
    kind: 'servers',
    protocol: 'http',
    target: { namespace: 'test', name: 'web', port: 80 },
    servers: members.map((member) => (typeof member === 'string' ? { address: upstreams.echo[member], weight: 1 } : member)),
  };
}

/**
 * Services for failure tests: `closed-first` offers a refused endpoint before
 * echo server a; `a-then-b` rotates between a and b.
 */
export function failoverServices(): Record<string, Service> {
  return { 'closed-first': pool({ address: upstreams.closed, weight: 1 }, 'a'), 'a-then-b': pool('a', 'b') };
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
