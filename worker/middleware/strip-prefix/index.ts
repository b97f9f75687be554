/**
 * `strip-prefix` (Traefik `PathPrefixStrip`/`PathStrip`): removes the prefix
 * from the upstream path, keeps a leading `/`, and tells the pod what was
 * removed in `X-Forwarded-Prefix`.
 */
import { edgeResponse } from '../../base/errors.ts';
import { encodedPath } from '../path.ts';
import type { MiddlewareFactory } from '../types.ts';

export const stripPrefix: MiddlewareFactory<'strip-prefix'> = (config) => {
  const prefix = encodedPath(config.prefix, 'strip-prefix prefix');
  return function stripPathPrefix(context, next) {
    // Traefik answers 404 when the path does not start with the prefix (an
    // earlier modifier changed it, or an encoded slash hid it from the rule).
    if (!context.path.startsWith(prefix)) return edgeResponse(404);
    const rest = context.path.slice(prefix.length);
    context.path = rest.startsWith('/') ? rest : `/${rest}`;
    context.headers.append('x-forwarded-prefix', prefix);
    return next();
  };
};
