/**
 * `replace-prefix` (Gateway API URLRewrite with ReplacePrefixMatch): the
 * upstream path's leading prefix, element by element, becomes the configured
 * value (`src/net/gateway-url.ts` holds the spec's table). A path outside the
 * prefix is left as it is.
 */
import { replacePrefixMatch } from '../../../src/net/gateway-url.ts';
import { encodedPath } from '../path.ts';
import type { MiddlewareFactory } from '../types.ts';

export const replacePrefix: MiddlewareFactory<'replace-prefix'> = (config) => {
  const prefix = encodedPath(config.prefix, 'replace-prefix prefix');
  const value = config.value === '' ? '' : encodedPath(config.value, 'replace-prefix value');
  return function replaceUpstreamPrefix(context, next) {
    const replaced = replacePrefixMatch(context.path, prefix, value);
    if (replaced !== undefined) context.path = replaced;
    return next();
  };
};
