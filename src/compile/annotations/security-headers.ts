/**
 * The security-header annotations (docs/guides/headers-and-redirects.md, Traefik's
 * `secure` middleware): allowed hosts, SSL redirects, HSTS, HPKP and the
 * static response headers. `is-development` is applied here, so the worker
 * never sees it. Enabled only when one of them has an effect.
 *
 * Fail closed (the routes answer 404) when ignoring would be unsafe: an
 * invalid `ssl-redirect` or `ssl-force-host`, or an invalid `ssl-host` they
 * need. Every other invalid value is reported and ignored (a response header
 * left out, or `allowed-hosts` entries that cannot be hosts, which then
 * match nothing).
 *
 * @example
 * ```ts
 * readSecurityHeaders(scope); // hsts-max-age: "31536000", frame-deny: "true"
 * // { kind: 'security-headers', …, responseHeaders: [['X-Frame-Options', 'DENY']],
 * //   secureResponseHeaders: [['Strict-Transport-Security', 'max-age=31536000']] }
 * ```
 */
import type { MiddlewareOf } from '../../table/middleware.ts';
import { quote } from '../diagnostics.ts';
import { readHeaderMap } from './custom-headers.ts';
import type { FeatureScope } from './feature-scope.ts';
import { headerNameProblem, headerValueProblem } from './header-rules.ts';
import { parseGoInt, parseList } from './values.ts';

type SecurityHeaders = MiddlewareOf<'security-headers'>;

/** What Traefik's `secure` middleware writes for the boolean switches. */
export const SECURE_DEFAULTS = { frameDeny: 'DENY', browserXssFilter: '1; mode=block', contentTypeNosniff: 'nosniff' } as const;

const HOST_PORT = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The development switches: what `is-development` turns off, by annotation name. */
const DEVELOPMENT_OFF = ['allowed-hosts', 'ssl-redirect', 'ssl-force-host', 'hsts-max-age', 'public-key'] as const;

export function readSecurityHeaders(scope: FeatureScope): SecurityHeaders | undefined {
  const development = readDevelopment(scope);
  const sslRedirect = scope.bool('ssl-redirect', { unsafe: true });
  const sslForceHost = scope.bool('ssl-force-host', { unsafe: true });
  if (sslRedirect === undefined || sslForceHost === undefined) return undefined;
  const sslHost = readSslHost(scope, !development && (sslRedirect || sslForceHost));
  if (sslHost === 'failed') return undefined;
  if (sslForceHost && !sslHost) warnNoEffect(scope, 'ssl-force-host', 'needs ssl-host');
  const temporary = scope.bool('ssl-temporary-redirect') ?? false;
  if (temporary && !sslRedirect && !sslForceHost) warnNoEffect(scope, 'ssl-temporary-redirect', 'needs ssl-redirect or ssl-force-host');
  const allowedHosts = development ? undefined : readAllowedHosts(scope);
  const { always, secure } = responseHeaders(scope, development);
  const middleware: SecurityHeaders = {
    kind: 'security-headers',
    hostHeaders: readProxyHeaders(scope),
    ...(allowedHosts ? { allowedHosts } : {}),
    sslProxyHeaders: readHeaderMap(scope, 'ssl-proxy-headers'),
    sslRedirect: !development && sslRedirect,
    sslForceHost: !development && sslForceHost && sslHost !== undefined,
    ...(sslHost ? { sslHost } : {}),
    sslRedirectStatus: temporary ? 307 : 301,
    responseHeaders: always,
    secureResponseHeaders: secure,
  };
  const effective = middleware.allowedHosts || middleware.sslRedirect || middleware.sslForceHost || middleware.sslHost ||
    always.length > 0 || secure.length > 0;
  return effective ? middleware : undefined;
}

function readDevelopment(scope: FeatureScope): boolean {
  const development = scope.bool('is-development') ?? false;
  if (development) {
    const off = DEVELOPMENT_OFF.filter((name) => scope.string(name));
    if (off.length > 0) {
      scope.report.warn('IgnoredAnnotation', scope.lookup('is-development')?.key, `is-development turns off ${off.join(', ')}; never set it in production`);
    }
  }
  return development;
}

function readSslHost(scope: FeatureScope, needed: boolean): string | undefined | 'failed' {
  const found = scope.string('ssl-host');
  if (!found) return undefined;
  if (HOST_PORT.test(found.value)) return found.value;
  const message = `ssl-host ${quote(found.value)} is not a host or host:port`;
  if (!needed) return void scope.invalid(found.key, message);
  scope.failClosed(found.key, message);
  return 'failed';
}

function readAllowedHosts(scope: FeatureScope): string[] | undefined {
  const found = scope.lookup('allowed-hosts');
  const hosts = found ? parseList(found.value) : [];
  if (!found) return undefined;
  if (hosts.length === 0) {
    // SECURITY.md findings: a list of blanks is not "no list"; the author meant to restrict hosts.
    scope.failClosed(found.key, `allowed-hosts ${quote(found.value)} lists no host`);
    return undefined;
  }
  const valid = hosts.filter((host) => HOST_PORT.test(host));
  for (const host of hosts.filter((entry) => !valid.includes(entry))) {
    scope.report.error('InvalidAnnotation', found.key, `allowed host ${quote(host)} is not a host or host:port; it matches no request`);
  }
  // Traefik compares case-insensitively; an allow-list of nothing but invalid entries lets no host in.
  return valid.map((host) => host.toLowerCase());
}

function readProxyHeaders(scope: FeatureScope): string[] {
  const found = scope.lookup('proxy-headers');
  if (!found) return [];
  return parseList(found.value).filter((name) => {
    const problem = headerNameProblem(name);
    if (problem) scope.report.error('InvalidAnnotation', found.key, `${quote(name)} ${problem}; dropped`);
    return !problem;
  });
}

function responseHeaders(scope: FeatureScope, development: boolean): { always: [string, string][]; secure: [string, string][] } {
  const always: [string, string][] = [];
  const secure: [string, string][] = [];
  const sts = development ? undefined : readSts(scope);
  if (sts) (scope.bool('force-hsts') ? always : secure).push(['Strict-Transport-Security', sts]);
  const frame = readValue(scope, 'custom-frame-options-value') ?? (scope.bool('frame-deny') ? SECURE_DEFAULTS.frameDeny : undefined);
  if (frame) always.push(['X-Frame-Options', frame]);
  if (scope.bool('content-type-nosniff')) always.push(['X-Content-Type-Options', SECURE_DEFAULTS.contentTypeNosniff]);
  const xss = readValue(scope, 'custom-browser-xss-value') ?? (scope.bool('browser-xss-filter') ? SECURE_DEFAULTS.browserXssFilter : undefined);
  if (xss) always.push(['X-XSS-Protection', xss]);
  const publicKey = development ? undefined : readValue(scope, 'public-key');
  if (publicKey) secure.push(['Public-Key-Pins', publicKey]);
  const csp = readValue(scope, 'content-security-policy');
  if (csp) always.push(['Content-Security-Policy', csp]);
  const referrer = readValue(scope, 'referrer-policy');
  if (referrer) always.push(['Referrer-Policy', referrer]);
  return { always, secure };
}

/** `Strict-Transport-Security` from hsts-max-age and its two flags; undefined when off. */
function readSts(scope: FeatureScope): string | undefined {
  const found = scope.lookup('hsts-max-age');
  const seconds = found ? parseGoInt(found.value) : 0;
  if (found && (seconds === undefined || seconds < 0)) {
    scope.invalid(found.key, `hsts-max-age ${quote(found.value)} is not a whole number of seconds ≥ 0`);
    return undefined;
  }
  if (!seconds) {
    for (const flag of ['hsts-include-subdomains', 'hsts-preload', 'force-hsts']) {
      if (scope.bool(flag)) warnNoEffect(scope, flag, 'needs hsts-max-age > 0');
    }
    return undefined;
  }
  return `max-age=${seconds}${scope.bool('hsts-include-subdomains') ? '; includeSubDomains' : ''}${scope.bool('hsts-preload') ? '; preload' : ''}`;
}

/** A header-valued annotation; an invalid value is reported and left out. */
function readValue(scope: FeatureScope, name: string): string | undefined {
  const found = scope.string(name);
  if (!found) return undefined;
  const problem = headerValueProblem(found.value);
  if (problem) return void scope.invalid(found.key, `${name} ${problem}`);
  return found.value;
}

function warnNoEffect(scope: FeatureScope, name: string, why: string): void {
  scope.report.warn('IgnoredAnnotation', scope.lookup(name)?.key, `${name} has no effect: it ${why}`);
}
