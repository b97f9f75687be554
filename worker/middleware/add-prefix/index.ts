/**
 * `add-prefix` (Traefik `AddPrefix`, from `request-modifier`): the upstream
 * path becomes the prefix followed by the path, after any strip.
 */
import { encodedPath } from '../path.ts';
import type { MiddlewareFactory } from '../types.ts';

export const addPrefix: MiddlewareFactory<'add-prefix'> = (config) => {
  const prefix = encodedPath(config.prefix, 'add-prefix prefix');
  return function addPathPrefix(context, next) {
    context.path = prefix + context.path;
    return next();
  };
};
