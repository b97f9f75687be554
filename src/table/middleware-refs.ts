/**
 * Which table services a middleware sends requests to (an error page's
 * pool, a canary's or a mirror's), without the zod schemas: the worker's cold path uses this.
 *
 * @example
 * ```ts
 * middlewareServices({ kind: 'error-pages', pages: [{ name: 'x', statuses: [[500, 599]], service: 'ns/errors:80', path: '/' }] });
 * // ['ns/errors:80']
 * ```
 */
import type { Middleware } from './middleware.ts';

/** The services a middleware refers to, so a shard carries them and a route refers to none that is missing. */
export function middlewareServices(middleware: Middleware): string[] {
  if (middleware.kind === 'canary' || middleware.kind === 'request-mirror') return [middleware.service];
  return middleware.kind === 'error-pages' ? middleware.pages.map((page) => page.service) : [];
}

/** The middleware with every service it refers to renamed (shards number their services). */
export function renameMiddlewareServices(middleware: Middleware, rename: (id: string) => string): Middleware {
  if (middleware.kind === 'canary' || middleware.kind === 'request-mirror') return { ...middleware, service: rename(middleware.service) };
  if (middleware.kind !== 'error-pages') return middleware;
  return { ...middleware, pages: middleware.pages.map((page) => ({ ...page, service: rename(page.service) })) };
}
