/**
 * `forward-auth` (Traefik `auth-type: forward`, docs/guides/access-control.md):
 * every request first asks the auth server (`auth-url`, a GET, redirects not
 * followed, 30 s at most; headers in `./auth-request.ts`).
 * - 2xx: each `auth-response-headers` name is removed from the request
 *   (whatever the client sent, in any letter case or with `_` for `-`) and
 *   copied from the answer when present; the request goes on.
 * - any other status: relayed to the client as the auth server sent it
 *   (status, headers but hop-by-hop ones, body), `Location` made absolute
 *   against the auth URL.
 * - no answer: 500 with an empty body.
 * With `auth-tls-secret`, the request goes through the mTLS certificate
 * binding the table names (`tlsBinding`); a deployment without that binding
 * answers 500 rather than calling without the certificate. Under
 * `edgress dev` the auth URL is fetched directly from workerd.
 */
import { EdgeError } from '../../errors.ts';
import { describeError, log } from '../../log.ts';
import { clientResponse } from '../../proxy/index.ts';
import { AUTH_LIMITS } from '../auth/limits.ts';
import { removeClientCopies } from '../auth/responses.ts';
import type { MiddlewareFactory, RequestContext } from '../types.ts';
import { authRequestHeaders } from './auth-request.ts';

interface AuthFetcher {
  fetch(input: string, init: RequestInit): Promise<Response>;
}

export const forwardAuth: MiddlewareFactory<'forward-auth'> = (config) => {
  const address = new URL(config.address).href;
  const { trustForwardHeader, responseHeaders, tlsBinding } = config;
  return async function checkForwardAuth(context, next) {
    const fetcher = tlsBinding === undefined ? globalThis : certificateBinding(context, tlsBinding);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), AUTH_LIMITS.forwardTimeoutMs);
    let answer: Response;
    try {
      answer = await fetcher.fetch(address, {
        method: 'GET',
        headers: authRequestHeaders(context, trustForwardHeader),
        redirect: 'manual',
        signal: timeout.signal,
      });
    } catch (error) {
      log({ level: 'error', event: 'forward-auth-unreachable', route: context.route.router.id, cause: describeError(error) });
      return new Response(null, { status: 500 });
    } finally {
      clearTimeout(timer);
    }
    if (answer.status < 200 || answer.status > 299) return relayed(answer, address);
    await answer.body?.cancel();
    for (const name of responseHeaders) {
      removeClientCopies(context.headers, name);
      const value = answer.headers.get(name);
      if (value !== null) context.headers.set(name, value);
    }
    return next();
  };
};

function relayed(answer: Response, address: string): Response {
  const response = clientResponse(answer);
  const location = response.headers.get('location');
  if (location !== null) {
    try {
      response.headers.set('location', new URL(location, address).href);
    } catch {
      return new Response(null, { status: 500 });
    }
  }
  return response;
}

function certificateBinding(context: RequestContext, name: string): AuthFetcher {
  const binding = (context.env as unknown as Readonly<Record<string, unknown>>)[name];
  if (typeof binding === 'object' && binding !== null && typeof (binding as Partial<AuthFetcher>).fetch === 'function') {
    return binding as AuthFetcher;
  }
  throw new EdgeError(500, undefined, { cause: `forward auth needs the mTLS certificate binding ${name}, which this deployment does not have` });
}
