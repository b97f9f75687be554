/**
 * The REST verbs of the test API server on one resource URL: get, list
 * (label/field selectors, limit/continue), create, update, patch (merge,
 * strategic-merge treated as merge, JSON patch), delete, and the `status`
 * subresource, which writes `status` only. Watches are in `./watch.ts`.
 */
import type { IncomingMessage } from 'node:http';
import { mergePatch, jsonPatch, isObject } from './merge-patch.ts';
import { apiVersionOf, type ResourcePath } from './resources.ts';
import { ApiError, type ObjectStore, type StoredObject } from './store.ts';
import { objectFilter } from './watch.ts';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

export function verbOf(method: string, path: ResourcePath, query: URLSearchParams): Verb {
  if (method === 'POST') return 'create';
  if (method === 'PUT') return 'update';
  if (method === 'PATCH') return 'patch';
  if (method === 'DELETE') return 'delete';
  if (path.name !== undefined) return 'get';
  return query.get('watch') === 'true' || query.get('watch') === '1' ? 'watch' : 'list';
}

export function handle(store: ObjectStore, verb: Verb, path: ResourcePath, query: URLSearchParams, body: unknown, contentType: string): Reply {
  const { type, namespace, name, subresource } = path;
  if (subresource !== undefined && !(subresource === 'status' && type.status)) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  switch (verb) {
    case 'list':
      return { status: 200, body: list(store, path, query) };
    case 'get':
      return { status: 200, body: existing(store, path) };
    case 'create':
      return { status: 201, body: store.create(type, withNamespace(body, namespace)) };
    case 'update':
      return { status: 200, body: store.update(type, merged(existing(store, path), withNamespace(body, namespace), subresource, type.status === true)) };
    case 'patch': {
      const current = existing(store, path);
      const patched = contentType.includes('json-patch') ? jsonPatch(current, body as never) : mergePatch(current, body);
      const next = merged(current, { ...(patched as StoredObject), metadata: { ...(patched as StoredObject).metadata, resourceVersion: '' } }, subresource, type.status === true);
      return { status: 200, body: store.update(type, next) };
    }
    case 'delete':
      return { status: 200, body: store.delete(type, namespace, name ?? '') };
    default:
      throw new ApiError(405, 'MethodNotAllowed', `${verb} is not served here`);
  }
}

function list(store: ObjectStore, path: ResourcePath, query: URLSearchParams): object {
  const matches = objectFilter({ namespace: path.namespace, labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined });
  const all = store.list(path.type, path.namespace).filter(matches);
  const token = query.get('continue');
  const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
  const limit = Number(query.get('limit') ?? 0) || all.length;
  const page = all.slice(start, start + limit);
  const more = start + limit < all.length;
  return {
    kind: `${path.type.kind}List`,
    apiVersion: apiVersionOf(path.type),
    metadata: { resourceVersion: String(store.revision), ...(more ? { continue: Buffer.from(String(start + limit)).toString('base64url') } : {}) },
    // kube-apiserver leaves kind and apiVersion out of list items.
    items: page.map(({ kind: _kind, apiVersion: _apiVersion, ...item }) => item),
  };
}

function existing(store: ObjectStore, path: ResourcePath): StoredObject {
  const found = store.get(path.type, path.namespace, path.name ?? '');
  if (!found) throw new ApiError(404, 'NotFound', `${path.type.plural} "${path.name}" not found`);
  return found;
}

function withNamespace(body: unknown, namespace: string | undefined): StoredObject {
  if (!isObject(body) || !isObject(body['metadata'])) throw new ApiError(400, 'BadRequest', 'the body is not a Kubernetes object');
  const object = body as StoredObject;
  return { ...object, metadata: { ...object.metadata, ...(namespace !== undefined ? { namespace } : {}) } };
}

/** The main resource keeps its status; the status subresource changes nothing else. */
function merged(current: StoredObject, next: StoredObject, subresource: string | undefined, hasStatus: boolean): StoredObject {
  const resourceVersion = next.metadata.resourceVersion;
  if (subresource === 'status') return { ...current, status: next['status'], metadata: { ...current.metadata, resourceVersion } };
  return hasStatus ? { ...next, status: current['status'] } : next;
}

/** A request body as JSON (or text when it is not JSON); undefined when empty. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
