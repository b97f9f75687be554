/**
 * `replace-path` (Traefik `ReplacePath`): the upstream path becomes the
 * configured one; the pod gets the path it replaced in `X-Replaced-Path`.
 */
import { encodedPath } from '../path.ts';
import type { MiddlewareFactory } from '../types.ts';

export const replacePath: MiddlewareFactory<'replace-path'> = (config) => {
  const path = encodedPath(config.path, 'replace-path path');
  return function replaceUpstreamPath(context, next) {
    // Added, as Traefik does: after a replace-path-regex the pod sees both paths, the original first.
    context.headers.append('x-replaced-path', context.path);
    context.path = path;
    return next();
  };
};
