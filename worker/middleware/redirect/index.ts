/**
 * `redirect`: app-root, redirect-entry-point or redirect-regex. Every
 * Location is built from the URL the client requested, its path normalised
 * as the pod receives it (SECURITY.md, path parity), never from the path the path modifiers
 * produced (docs/design/decisions.md#decision-8-redirects-see-the-client-url). Statuses as Traefik's redirect
 * handler: 302 for GET and 307 for every other method, 301/308 when permanent,
 * or the configured `status` for every method (the nginx dialect).
 */
import type { MiddlewareOf } from '../../../src/table/middleware.ts';
import type { RequestContext } from '../../chain/context.ts';
import { compileRegex, replaceAllMatches } from '../regex.ts';
import type { MiddlewareFactory } from '../types.ts';
import { hostWithoutPort, redirectResponse, requestTarget, type RedirectStatus } from './response.ts';

type Target = MiddlewareOf<'redirect'>['to'];
type Location = (context: RequestContext) => string | undefined;

export const redirect: MiddlewareFactory<'redirect'> = (config) => {
  const location = locationOf(config.to);
  const [get, other]: [RedirectStatus, RedirectStatus] = config.status ? [config.status, config.status] : config.permanent ? [301, 308] : [302, 307];
  return function redirectRequest(context, next) {
    const to = location(context);
    if (to === undefined) return next();
    return redirectResponse(to, context.request.method === 'GET' ? get : other);
  };
};

function locationOf(target: Target): Location {
  switch (target.type) {
    case 'app-root': {
      // docs/design/decisions.md#decision-9-app-root-fires-on-the-root-path: `/` is redirected whatever its query, which is kept unless app-root has its own.
      const keepQuery = !target.path.includes('?');
      return (context) =>
        context.url.pathname === '/' ? `${context.scheme}://${context.hostHeader}${target.path}${keepQuery ? context.url.search : ''}` : undefined;
    }
    case 'scheme':
      return (context) =>
        context.scheme === target.scheme
          ? undefined
          : `${target.scheme}://${hostWithoutPort(context.hostHeader)}:${target.port}${requestTarget(context.url)}`;
    case 'regex': {
      const regex = compileRegex(target.regex);
      return (context) => {
        const url = `${context.scheme}://${context.hostHeader}${requestTarget(context.url)}`;
        const replaced = replaceAllMatches(regex, url, target.replacement);
        return replaced === undefined || replaced === url ? undefined : replaced;
      };
    }
  }
}
