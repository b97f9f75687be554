/**
 * The redirect family (docs/guides/headers-and-redirects.md): `app-root`,
 * `redirect-entry-point`, `redirect-regex` + `redirect-replacement` and
 * `redirect-permanent`, compiled into one `redirect` middleware per route.
 *
 * Precedence as in Traefik: on a root path (`/` or no path) app-root, when
 * set, is the only redirect; elsewhere redirect-entry-point beats the regex.
 * Unlike Traefik, app-root fires for every request for `/` (docs/design/decisions.md#decision-9-app-root-fires-on-the-root-path) and
 * never on other paths, and every Location is built from the URL the client
 * sent (docs/design/decisions.md#decision-8-redirects-see-the-client-url, in the worker).
 *
 * An entry point or regex redirect that cannot be compiled fails closed: it
 * may be what moves clients to HTTPS or off a retired host. An invalid
 * app-root is ignored (the page is still served, only not redirected to).
 *
 * @example
 * ```ts
 * const redirects = readRedirects(scope);   // redirect-entry-point: https
 * redirects.forPath({ type: 'prefix', path: '/shop' });
 * // [{ kind: 'redirect', permanent: false, to: { type: 'scheme', scheme: 'https', port: 443 } }]
 * ```
 */
import type { MiddlewareOf } from '../../table/middleware.ts';
import type { PathMatch } from '../../table/schema.ts';
import { quote } from '../diagnostics.ts';
import type { FeatureScope } from './feature-scope.ts';
import { translateGoRegex } from './go-regex.ts';
import { parseGoReplacement } from './go-replacement.ts';
import { encodePathText, percentEncode } from './path-values.ts';
import { warnIfCostly } from './rewrite.ts';

type Redirect = MiddlewareOf<'redirect'>;
type Target = Redirect['to'];

export interface Redirects {
  /** The redirect of a route with this match, if any. */
  forPath(match: PathMatch): Redirect[];
  /** The default backend's: app-root never applies there (its Traefik regex could not match). */
  readonly forDefaultBackend: Redirect[];
}

/** The entry points edgress has, and the port Traefik wrote into an entry-point redirect's Location. */
export const ENTRY_POINT_PORTS = { http: 80, https: 443 } as const;

export function readRedirects(scope: FeatureScope): Redirects {
  const permanent = scope.bool('redirect-permanent') ?? false;
  const appRoot = readAppRoot(scope);
  const entryPoint = readEntryPoint(scope);
  const regex = readRegex(scope, entryPoint !== undefined);
  const other = entryPoint ?? regex;
  if (appRoot && other) {
    const key = scope.lookup(entryPoint ? 'redirect-entry-point' : 'redirect-regex')?.key;
    scope.report.warn('IgnoredAnnotation', key, 'app-root is the only redirect of root paths (/ or none), as in Traefik 1.7; this one applies to the other paths');
  }
  const wrap = (to: Target | undefined): Redirect[] => (to ? [{ kind: 'redirect', permanent, to }] : []);
  const rootRedirect = wrap(appRoot ?? other);
  const otherRedirect = wrap(other);
  return {
    forPath: (match) => (isRootPath(match) ? rootRedirect : otherRedirect),
    forDefaultBackend: otherRedirect,
  };
}

function isRootPath(match: PathMatch): boolean {
  return match.type === 'any' || match.path === '/';
}

function readAppRoot(scope: FeatureScope): Target | undefined {
  const found = scope.string('app-root');
  if (!found) return undefined;
  // Traefik joined the rule path and app-root with one slash, whatever app-root started with.
  const path = encodePathText(`/${found.value.replace(/^\/+/, '')}`, { query: true });
  if (!path.ok) return void scope.invalid(found.key, `app-root ${quote(found.value)} ${path.error}`);
  return { type: 'app-root', path: path.text };
}

function readEntryPoint(scope: FeatureScope): Target | undefined {
  const found = scope.string('redirect-entry-point');
  if (!found) return undefined;
  if (found.value !== 'http' && found.value !== 'https') {
    return void scope.failClosed(found.key, `redirect-entry-point ${quote(found.value)} is not an entry point of edgress (http or https)`);
  }
  return { type: 'scheme', scheme: found.value, port: ENTRY_POINT_PORTS[found.value] };
}

function readRegex(scope: FeatureScope, overridden: boolean): Target | undefined {
  const regexFound = scope.string('redirect-regex');
  const replacementFound = scope.string('redirect-replacement');
  if (!regexFound && !replacementFound) return undefined;
  if (overridden) {
    scope.report.warn('IgnoredAnnotation', (regexFound ?? replacementFound)?.key, 'redirect-entry-point is set, so the regex redirect is not used (as in Traefik 1.7)');
    return undefined;
  }
  if (!regexFound || !replacementFound) {
    const [present, missing] = regexFound ? [regexFound, 'redirect-replacement'] : [replacementFound, 'redirect-regex'];
    return void scope.report.warn('IgnoredAnnotation', present?.key, `needs ${missing} too; no regex redirect (as in Traefik 1.7)`);
  }
  const fail = (message: string, key = regexFound.key) => void scope.failClosed(key, message);
  if (replacementFound.value.includes('{{')) {
    return fail(`redirect-replacement ${quote(replacementFound.value)} uses a Go template ({{ … }}), which edgress does not support`, replacementFound.key);
  }
  const regex = translateGoRegex(regexFound.value);
  if (!regex.ok) return fail(`redirect-regex ${quote(regexFound.value)} ${regex.error}`);
  warnIfCostly(scope, regexFound.key, regex.value.cost);
  const replacement = parseGoReplacement(replacementFound.value, regex.value);
  for (const problem of replacement.problems) scope.report.warn('IgnoredAnnotation', replacementFound.key, problem);
  const parts: (string | number)[] = [];
  for (const part of replacement.parts) {
    if (typeof part === 'string' && /[\x00-\x1f\x7f]/.test(part)) return fail('redirect-replacement contains control characters', replacementFound.key);
    parts.push(typeof part === 'string' ? encodeUrlText(part) : part);
  }
  return { type: 'regex', regex: regex.value.regex, replacement: parts };
}

/** Spaces and non-ASCII characters percent-encoded, so the Location is a valid header value. */
function encodeUrlText(text: string): string {
  return text.replace(/[^\x21-\x7e]/gu, percentEncode);
}
