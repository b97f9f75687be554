/**
 * Redirects of the nginx dialect, in the order ingress-nginx answers them
 * (nginx.tmpl: `app-root` in the server block, then the location's
 * `return`, then the Lua HTTPS redirect):
 * - `app-root`: `/` answers 302 to `$scheme://$http_host<app-root>`
 *   (test/e2e/annotations/approot.go);
 * - `temporal-redirect` (302, or `temporal-redirect-code`), else
 *   `permanent-redirect` (301, or `permanent-redirect-code`): every request
 *   answers with the URL as written, nginx variables filled
 *   (test/e2e/annotations/redirect.go);
 * - `ssl-redirect` (on for an Ingress with `tls:`) and `force-ssl-redirect`:
 *   http answers 308 to https, the trailing `/` dropped unless
 *   `preserve-trailing-slash` (test/e2e/annotations/forcesslredirect.go,
 *   rootfs/etc/nginx/lua/lua_ingress.lua).
 *
 * @example
 * ```ts
 * readNginxRedirects(ingress, report); // [{ kind: 'redirect', status: 308, to: { type: 'regex', … } }]
 * ```
 */
import type { Middleware, MiddlewareOf } from '../../table/middleware.ts';
import { REQUEST_URL } from '../../table/http-middleware.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import type { IngressModel } from '../read/ingress.ts';
import { nginxAnnotation } from './catalog.ts';
import { nginxTemplate } from './template.ts';

type Redirect = MiddlewareOf<'redirect'>;
type Status = NonNullable<Redirect['status']>;
const STATUSES: readonly number[] = [301, 302, 303, 307, 308];

export interface NginxRedirects {
  readonly middlewares: readonly Middleware[];
  /** Set when a redirect cannot be honoured as written: the routes answer 503. */
  readonly failure: string | undefined;
}

export function readNginxRedirects(ingress: IngressModel, report: Reporter): NginxRedirects {
  const annotations = ingress.meta.annotations;
  const middlewares: Middleware[] = [];
  let failure: string | undefined;
  const fail = (key: string, message: string) => {
    report.error('InvalidAnnotation', key, `${message}; the routes of this Ingress answer 503`);
    failure ??= `${key} cannot be honoured`;
  };

  const appRoot = nginxAnnotation(annotations, 'app-root');
  if (appRoot && appRoot.value !== '') {
    if (!/^\/[^\s?#]*$/.test(appRoot.value)) fail(appRoot.key, `app-root ${quote(appRoot.value)} is not a path starting with /`);
    else middlewares.push(regexRedirect('^([a-z]+://[^/]*)/(\\?.*)?$', [1, appRoot.value], 302));
  }

  const temporal = nginxAnnotation(annotations, 'temporal-redirect');
  const permanent = nginxAnnotation(annotations, 'permanent-redirect');
  const chosen = temporal && temporal.value !== '' ? { found: temporal, code: 'temporal-redirect-code', fallback: 302 as const }
    : permanent && permanent.value !== '' ? { found: permanent, code: 'permanent-redirect-code', fallback: 301 as const } : undefined;
  if (chosen) {
    const template = nginxTemplate(chosen.found.value.trim());
    const status = redirectCode(annotations, chosen.code, chosen.fallback, report);
    if (!template.ok) fail(chosen.found.key, `${quote(chosen.found.value)} ${template.error}`);
    else if (!/^(https?:\/\/|\/)/.test(chosen.found.value.trim())) fail(chosen.found.key, `${quote(chosen.found.value)} is not a URL or a path`);
    else middlewares.push({ kind: 'redirect', permanent: status === 301 || status === 308, status, to: { type: 'regex', regex: REQUEST_URL, replacement: template.parts } });
  }

  const force = nginxAnnotation(annotations, 'force-ssl-redirect')?.value.trim().toLowerCase() === 'true';
  const sslRedirect = nginxAnnotation(annotations, 'ssl-redirect')?.value.trim().toLowerCase() !== 'false';
  if (force || (sslRedirect && ingress.tls.length > 0)) {
    const keepSlash = nginxAnnotation(annotations, 'preserve-trailing-slash')?.value.trim().toLowerCase() === 'true';
    // http://host[:port]/path?query → https://host/path?query (port dropped, as use-port-in-redirects is off).
    const source = keepSlash ? '^http://([^/:?]*|\\[[^\\]]*\\])(:[0-9]+)?(.*)$' : '^http://([^/:?]*|\\[[^\\]]*\\])(:[0-9]+)?(.*?)/?$';
    middlewares.push(regexRedirect(source, ['https://', 1, 3], 308));
  }
  return { middlewares, failure };
}

function regexRedirect(source: string, replacement: Redirect['to'] extends infer T ? (T extends { type: 'regex'; replacement: infer R } ? R : never) : never, status: Status): Redirect {
  return { kind: 'redirect', permanent: status === 301 || status === 308, status, to: { type: 'regex', regex: { source, flags: '' }, replacement } };
}

function redirectCode(annotations: Readonly<Record<string, string>>, name: string, fallback: Status, report: Reporter): Status {
  const found = nginxAnnotation(annotations, name);
  if (!found || found.value.trim() === '') return fallback;
  const code = Number(found.value.trim());
  if (STATUSES.includes(code)) return code as Status;
  report.warn('InvalidAnnotation', found.key, `${name} ${quote(found.value)} is not 301, 302, 303, 307 or 308; using ${fallback}`);
  return fallback;
}
