/**
 * `error-pages`: wraps everything after it, so it sees the pod's responses
 * and the edge's own (503 for an empty pool, 502/504, and later 401/429).
 * When a response's status is in a page's ranges (pages in name order, the
 * first match wins), the page is fetched with GET from the page's pool at
 * its path with `{status}` replaced, carrying a copy of the request headers
 * sent upstream, and the client gets the original status with the page's
 * headers and body. If the page cannot be fetched, the original response is
 * sent (Traefik sent the error backend's failure instead).
 */
import type { MiddlewareOf } from '../../../src/table/middleware.ts';
import type { RequestContext } from '../../chain/context.ts';
import { responseOrFailure } from '../../base/errors.ts';
import { NULL_BODY_STATUS } from '../../proxy/index.ts';
import type { MiddlewareFactory } from '../types.ts';
import { requestTarget } from '../redirect/response.ts';
import { fetchErrorPage } from './fetch-page.ts';

type Page = MiddlewareOf<'error-pages'>['pages'][number];

export const errorPages: MiddlewareFactory<'error-pages'> = (config) => {
  const pages = config.pages;
  return async function answerErrorPages(context, next) {
    const response = await responseOrFailure(context.route.router.id, next);
    // A WebSocket upgrade's response is its socket; 1xx are never final here.
    if (response.webSocket || response.status < 200) return response;
    const page = pages.find((candidate) => inRanges(candidate, response.status));
    if (!page) return response;
    const extra = page.nginx ? nginxErrorHeaders(context, page.nginx, response.status) : undefined;
    const pageResponse = await fetchErrorPage(context, page.service, page.path.replaceAll('{status}', String(response.status)), extra);
    if (!pageResponse) return response;
    await response.body?.cancel();
    const bodyless = context.request.method === 'HEAD' || NULL_BODY_STATUS.has(response.status);
    if (bodyless) await pageResponse.body?.cancel();
    return new Response(bodyless ? null : pageResponse.body, { status: response.status, headers: pageResponse.headers });
  };
};

/**
 * The headers ingress-nginx's custom error locations send the default
 * backend (nginx.tmpl CUSTOM_ERRORS; docs/user-guide/custom-errors.md), so
 * an error-page Service can answer per code and format.
 */
function nginxErrorHeaders(context: RequestContext, page: NonNullable<Page['nginx']>, status: number): Headers {
  const headers = new Headers({
    'x-code': String(status),
    'x-format': context.request.headers.get('accept') ?? '',
    'x-original-uri': requestTarget(context.url),
    'x-namespace': page.namespace,
    'x-ingress-name': page.ingress,
  });
  const target = context.route.service.kind === 'servers' ? context.route.service.target : undefined;
  if (target) {
    headers.set('x-service-name', target.name);
    headers.set('x-service-port', String(target.port));
  }
  return headers;
}

function inRanges(page: Page, status: number): boolean {
  return page.statuses.some(([from, to]) => status >= from && status <= to);
}
