/**
 * `enable-cors` and `cors-*` (docs/user-guide/nginx-configuration/annotations.md
 * "Enable CORS"; internal/ingress/annotations/cors/main.go): defaults as
 * ingress-nginx's, an invalid value falls back to the default with a warning,
 * invalid origins are dropped (none left: `*`).
 *
 * @example
 * ```ts
 * readCors({ 'nginx.ingress.kubernetes.io/enable-cors': 'true' }, report);
 * // { kind: 'cors', origins: ['*'], methods: 'GET, PUT, POST, DELETE, PATCH, OPTIONS', … }
 * ```
 */
import type { MiddlewareOf } from '../../table/middleware.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import { nginxAnnotation } from './catalog.ts';

type Annotations = Readonly<Record<string, string>>;

export const CORS_DEFAULTS = {
  methods: 'GET, PUT, POST, DELETE, PATCH, OPTIONS',
  headers: 'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization',
  maxAge: 1728000,
} as const;

const METHODS = /^([A-Za-z]+,?\s?)+$/;
const HEADERS = /^([A-Za-z0-9_-]+,?\s?)+$/;
const ORIGIN = /^(\*|https?:\/\/(\*\.)?[a-z0-9.-]+(:[0-9]{1,5})?)$/;

export function readCors(annotations: Annotations, report: Reporter): MiddlewareOf<'cors'> | undefined {
  if (nginxAnnotation(annotations, 'enable-cors')?.value.trim().toLowerCase() !== 'true') return undefined;
  const text = (name: string, pattern: RegExp, fallback: string): string => {
    const found = nginxAnnotation(annotations, name);
    if (!found || found.value.trim() === '') return fallback;
    if (pattern.test(found.value.trim())) return found.value.trim();
    report.warn('InvalidAnnotation', found.key, `${name} ${quote(found.value)} is not valid; using ${quote(fallback)}`);
    return fallback;
  };
  const origins: string[] = [];
  const originFound = nginxAnnotation(annotations, 'cors-allow-origin');
  for (const entry of (originFound?.value ?? '*').split(',').map((part) => part.trim().toLowerCase()).filter(Boolean)) {
    if (ORIGIN.test(entry)) origins.push(entry);
    else report.warn('InvalidAnnotation', originFound?.key, `cors-allow-origin: ${quote(entry)} is not an origin (scheme://host[:port], scheme://*.domain or *); dropped`);
  }
  const credentials = nginxAnnotation(annotations, 'cors-allow-credentials')?.value.trim().toLowerCase() !== 'false';
  const maxAgeFound = nginxAnnotation(annotations, 'cors-max-age');
  let maxAge: number = CORS_DEFAULTS.maxAge;
  if (maxAgeFound && maxAgeFound.value.trim() !== '') {
    if (/^[0-9]{1,10}$/.test(maxAgeFound.value.trim())) maxAge = Number(maxAgeFound.value.trim());
    else report.warn('InvalidAnnotation', maxAgeFound.key, `cors-max-age ${quote(maxAgeFound.value)} is not a number of seconds; using ${CORS_DEFAULTS.maxAge}`);
  }
  const expose = text('cors-expose-headers', HEADERS, '');
  return {
    kind: 'cors',
    origins: origins.length > 0 ? origins : ['*'],
    methods: text('cors-allow-methods', METHODS, CORS_DEFAULTS.methods),
    headers: text('cors-allow-headers', HEADERS, CORS_DEFAULTS.headers),
    ...(expose ? { exposeHeaders: expose } : {}),
    credentials,
    maxAge,
  };
}
