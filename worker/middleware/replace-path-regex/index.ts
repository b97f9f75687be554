/**
 * `replace-path-regex` (Traefik `ReplacePathRegex`, also `rewrite-target`):
 * when the regex matches the upstream path, every match is replaced and the
 * pod gets the path before in `X-Replaced-Path`; no match, no change. The
 * path is the percent-encoded form the pod will receive. A result without a
 * leading slash gets one (Traefik sent such a path as is, which no HTTP
 * server accepts).
 */
import { compileRegex, replaceAllMatches } from '../regex.ts';
import type { MiddlewareFactory } from '../types.ts';

const UNSAFE_LITERAL = /[?#\\\s\x00-\x1f\x7f]/;

export const replacePathRegex: MiddlewareFactory<'replace-path-regex'> = (config) => {
  const regex = compileRegex(config.regex);
  const replacement = config.replacement;
  if (replacement.some((part) => typeof part === 'string' && UNSAFE_LITERAL.test(part))) {
    throw new Error('replace-path-regex replacement must not contain a query, fragment, backslash, spaces or control characters');
  }
  return function replacePathByRegex(context, next) {
    const replaced = replaceAllMatches(regex, context.path, replacement);
    if (replaced !== undefined) {
      context.headers.append('x-replaced-path', context.path);
      context.path = replaced.startsWith('/') ? replaced : `/${replaced}`;
    }
    return next();
  };
};
