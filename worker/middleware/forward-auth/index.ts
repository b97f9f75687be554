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
import { EdgeError } from '../../base/errors.ts';
import { describeError, log } from '../../base/log.ts';
import { clientResponse } from '../../proxy/index.ts';
import { AUTH_LIMITS } from '../auth/limits.ts';
import { removeClientCopies } from '../auth/responses.ts';
import type { EdgeMiddleware, MiddlewareFactory, RequestContext } from '../types.ts';
import { authRequestHeaders } from './auth-request.ts';
import type { MiddlewareOf } from '../../../src/table/middleware.ts';
import { ESCAPED_REQUEST_URI_GROUP, REQUEST_URL } from '../../../src/table/http-constants.ts';
import type { Replacement } from '../../../src/table/http-middleware.ts';
import type { LinearRegex } from '../../../src/regex/index.ts';
import { requestTarget } from '../redirect/response.ts';
import { compileRegex } from '../regex.ts';

interface AuthFetcher {
  fetch(input: string, init: RequestInit): Promise<Response>;
}

export const forwardAuth: MiddlewareFactory<'forward-auth'> = (config) => {
  if (config.nginx) return nginxAuth(config, config.nginx);
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

type NginxAuth = NonNullable<MiddlewareOf<'forward-auth'>['nginx']>;

/**
 * ingress-nginx's `auth_request`: the templates are filled from the request
 * URL; 2xx goes on with `auth-response-headers` copied (and the auth
 * service's `Set-Cookie` added to the answer), 401 answers 401 with the auth
 * service's `WWW-Authenticate` or redirects to `auth-signin` (with `rd`), 403
 * answers 403, anything else and no answer 500 (nginx's "auth request
 * unexpected status").
 */
function nginxAuth(config: MiddlewareOf<'forward-auth'>, nginx: NginxAuth): EdgeMiddleware {
  const requestUrl = compileRegex(REQUEST_URL);
  const fill = (template: Replacement, url: string) => fillTemplate(requestUrl, template, url);
  const { responseHeaders, trustForwardHeader } = config;
  return async function checkNginxAuth(context, next) {
    const target = requestTarget(context.url);
    const url = `${context.scheme}://${context.hostHeader}${target}`;
    let address: string;
    try {
      address = new URL(fill(nginx.url, url)).href;
    } catch {
      return new Response(null, { status: 500 });
    }
    const headers = authRequestHeaders(context, trustForwardHeader);
    headers.set('x-original-url', url);
    headers.set('x-original-method', context.request.method);
    headers.set('x-auth-request-redirect', nginx.requestRedirect ? fill(nginx.requestRedirect, url) : target);
    headers.set('x-sent-from', 'nginx-ingress-controller');
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), AUTH_LIMITS.forwardTimeoutMs);
    let answer: Response;
    try {
      answer = await fetch(address, { method: nginx.method ?? context.request.method, headers, redirect: 'manual', signal: timeout.signal });
    } catch (error) {
      log({ level: 'error', event: 'forward-auth-unreachable', route: context.route.router.id, cause: describeError(error) });
      return new Response(null, { status: 500 });
    } finally {
      clearTimeout(timer);
    }
    await answer.body?.cancel();
    if (answer.status >= 200 && answer.status <= 299) {
      for (const name of responseHeaders) {
        removeClientCopies(context.headers, name);
        const value = answer.headers.get(name);
        if (value !== null) context.headers.set(name, value);
      }
      return withAuthCookies(await next(), answer.headers.getSetCookie());
    }
    if (answer.status === 401 && nginx.signin) {
      const signin = fill(nginx.signin, url);
      const param = `${nginx.signinParam}=`;
      const hasParam = signin.includes(`?${param}`) || signin.includes(`&${param}`);
      const back = `${context.scheme}://${context.hostHeader}${encodeURIComponent(target)}`;
      const location = hasParam ? signin : `${signin}${signin.includes('?') ? '&' : '?'}${param}${back}`;
      return new Response(null, { status: 302, headers: { location } });
    }
    if (answer.status === 401) {
      // ngx_http_auth_request_module passes the auth service's challenge on with its 401.
      const challenge = answer.headers.get('www-authenticate');
      return new Response(null, { status: 401, headers: challenge === null ? {} : { 'www-authenticate': challenge } });
    }
    if (answer.status === 403) return new Response(null, { status: 403 });
    return new Response(null, { status: 500 });
  };
}

/** Statuses nginx's `add_header` (without `always`) applies to. */
const ADD_HEADER_STATUSES = new Set([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);

/**
 * nginx.tmpl's `auth_request_set $auth_cookie $upstream_http_set_cookie;
 * add_header Set-Cookie $auth_cookie;`: the auth service's cookies (an
 * oauth2-proxy session refresh) reach the client with the pod's answer.
 */
function withAuthCookies(response: Response, cookies: readonly string[]): Response {
  if (cookies.length === 0 || !ADD_HEADER_STATUSES.has(response.status)) return response;
  const withCookies = new Response(response.body, response);
  for (const cookie of cookies) withCookies.headers.append('set-cookie', cookie);
  return withCookies;
}

/** An nginx template over the request URL; `$escaped_request_uri` is the path and query, URI-escaped. */
function fillTemplate(requestUrl: LinearRegex, template: Replacement, url: string): string {
  const match = requestUrl.exec(url);
  if (!match) return '';
  let filled = '';
  for (const part of template) {
    if (typeof part === 'string') filled += part;
    else if (part === ESCAPED_REQUEST_URI_GROUP) filled += encodeURIComponent(match.group(5) ?? '');
    else filled += match.group(part) ?? '';
  }
  return filled;
}
