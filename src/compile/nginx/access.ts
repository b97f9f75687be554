/**
 * Access control in the nginx dialect: `allowlist-source-range` (or its old
 * name `whitelist-source-range`), `denylist-source-range`, `auth-type: basic`
 * with `auth-secret`, `auth-secret-type` and `auth-realm`, and `auth-url`
 * with `auth-method`, `auth-signin`, `auth-response-headers` and
 * `auth-request-redirect`. As ingress-nginx does, a family that cannot be
 * honoured (a range that does not parse, a missing or unusable Secret, an
 * auth URL that is not one) makes every route answer 503, never unprotected
 * (annotations.md; test/e2e/annotations/auth.go "should return status code
 * 503 when authentication is configured with an invalid secret").
 *
 * @example
 * ```ts
 * readNginxAccess(annotations, { namespace: 'shop', secret }, report); // [{ kind: 'ip-allow-list', … }]
 * ```
 */
import type { Middleware, MiddlewareOf } from '../../table/middleware.ts';
import { describeInvalid, parseRanges } from '../annotations/allow-list.ts';
import { canonicalHeaderName, parseList } from '../annotations/values.ts';
import { headerNameProblem } from '../annotations/header-rules.ts';
import { describeUnusableLines, parseHtpasswd, secretEntries } from '../annotations/auth-secret.ts';
import { passwordHashFormat } from '../../table/credentials.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import type { SecretModel } from '../read/objects.ts';
import { nginxAnnotation } from './catalog.ts';
import { nginxTemplate } from './template.ts';

export interface SecretLookup {
  readonly namespace: string;
  secret(namespace: string, name: string): SecretModel | undefined;
}

type Annotations = Readonly<Record<string, string>>;
type Deny = MiddlewareOf<'deny'>;

const deny = (reason: string): Deny => ({ kind: 'deny', status: 503, reason });

/** The access middlewares every route of the Ingress starts with; a single 503 `deny` when one cannot be honoured. */
export function readNginxAccess(annotations: Annotations, secrets: SecretLookup, report: Reporter): Middleware[] {
  const middlewares = [
    readRanges(annotations, 'allow', report),
    readRanges(annotations, 'deny', report),
    readBasicAuth(annotations, secrets, report),
    readExternalAuth(annotations, report),
  ].filter((middleware) => middleware !== undefined);
  const denied = middlewares.find((middleware) => middleware.kind === 'deny');
  return denied ? [denied] : middlewares;
}

function readRanges(annotations: Annotations, mode: 'allow' | 'deny', report: Reporter): Middleware | undefined {
  const found = mode === 'deny'
    ? nginxAnnotation(annotations, 'denylist-source-range')
    : (nginxAnnotation(annotations, 'allowlist-source-range') ?? nginxAnnotation(annotations, 'whitelist-source-range'));
  if (!found) return undefined;
  const entries = parseList(found.value);
  // A list of nothing (a template that lost its value) must not publish the route open (SECURITY.md finding 3).
  if (entries.length === 0) {
    report.error('InvalidAllowList', found.key, `${quote(found.value)} lists no IP address or CIDR; the routes of this Ingress answer 503`);
    return deny(`${found.key} lists nothing`);
  }
  const { ranges, invalid } = parseRanges(entries);
  if (invalid.length > 0) {
    report.error('InvalidAllowList', found.key, `not an IP address or CIDR: ${describeInvalid(invalid)}; the routes of this Ingress answer 503, as ingress-nginx's`);
    return deny(`${found.key} does not parse`);
  }
  return mode === 'deny' ? { kind: 'ip-allow-list', deny: true, ranges, useXForwardedFor: false } : { kind: 'ip-allow-list', ranges, useXForwardedFor: false };
}

function readBasicAuth(annotations: Annotations, secrets: SecretLookup, report: Reporter): Middleware | undefined {
  const type = nginxAnnotation(annotations, 'auth-type');
  if (!type) return undefined;
  if (type.value.trim() === '') {
    // Exactly empty and alone is no auth; whitespace, or beside auth-secret, means the author asked for auth (SECURITY.md finding 3).
    const secretSet = (nginxAnnotation(annotations, 'auth-secret')?.value.trim() ?? '') !== '';
    if (type.value === '' && !secretSet) return undefined;
    report.error('InvalidAuth', type.key, `auth-type is blank${secretSet ? ' but auth-secret is set' : ''}; the routes answer 503`);
    return deny('auth-type blank');
  }
  if (type.value !== 'basic') {
    report.error('InvalidAuth', type.key, `auth-type ${quote(type.value)} is not supported (basic only); the routes answer 503`);
    return deny('auth-type not supported');
  }
  const secretName = nginxAnnotation(annotations, 'auth-secret');
  if (!secretName || secretName.value === '') {
    report.error('InvalidAuth', type.key, 'auth-type basic needs auth-secret; the routes answer 503');
    return deny('auth-secret missing');
  }
  const [namespace, name] = secretName.value.includes('/') ? secretName.value.split('/', 2) : [secrets.namespace, secretName.value];
  const ref = `${namespace}/${name}`;
  const secret = secrets.secret(namespace ?? '', name ?? '');
  if (!secret) {
    report.error('InvalidAuthSecret', secretName.key, `Secret ${quote(ref)} does not exist; the routes answer 503, as ingress-nginx's`);
    return deny('auth-secret missing');
  }
  const secretType = nginxAnnotation(annotations, 'auth-secret-type')?.value || 'auth-file';
  const skipped: string[] = [];
  const users = secretType === 'auth-map' ? mapUsers(secret) : secretType === 'auth-file' ? fileUsers(secret, skipped) : `auth-secret-type ${quote(secretType)} is not auth-file or auth-map`;
  // nginx ignores an htpasswd line it cannot use; the other users still sign in.
  if (typeof users !== 'string' && skipped.length > 0) report.warn('InvalidAuthSecret', secretName.key, `Secret ${quote(ref)}: ${skipped.join('; ')}; the other users still sign in`);
  if (typeof users === 'string') {
    report.error('InvalidAuthSecret', secretName.key, `Secret ${quote(ref)}: ${users}; the routes answer 503, as ingress-nginx's`);
    return deny('auth-secret unusable');
  }
  const realm = nginxAnnotation(annotations, 'auth-realm')?.value ?? '';
  if (/["\\\x00-\x1f\x7f]/.test(realm) || realm.length > 256) {
    report.error('InvalidAuth', NGINX_REALM_KEY, `auth-realm ${quote(realm)} cannot be quoted in a challenge; the routes answer 503`);
    return deny('auth-realm invalid');
  }
  return { kind: 'basic-auth', secret: ref, removeHeader: false, realm, users };
}

const NGINX_REALM_KEY = 'nginx.ingress.kubernetes.io/auth-realm';
type BasicUsers = MiddlewareOf<'basic-auth'>['users'];

/** `auth-file`: htpasswd lines under the key `auth`. */
function fileUsers(secret: SecretModel, skipped: string[]): BasicUsers | string {
  const entry = secretEntries(secret).find((candidate) => candidate.key === 'auth');
  if (!entry || entry.text === undefined) return 'has no readable key "auth"';
  const parsed = parseHtpasswd(entry.text);
  const { lines, more } = describeUnusableLines(parsed.unusable);
  const problems = [...lines.map((line) => `key "auth" ${line}`), ...(more > 0 ? [`${more} more unusable lines`] : [])];
  if (parsed.users.length === 0) return problems.length > 0 ? problems.join('; ') : 'key "auth" has no user';
  skipped.push(...problems.map((problem) => `${problem} (skipped)`));
  return [...parsed.users];
}

/** `auth-map`: one key per user, its value the password hash. */
function mapUsers(secret: SecretModel): BasicUsers | string {
  const users: { user: string; hash: string }[] = [];
  for (const entry of secretEntries(secret)) {
    const hash = entry.text?.trim();
    if (hash === undefined || passwordHashFormat(hash) === undefined || /[\x00-\x1f\x7f:]/.test(entry.key)) return `key ${quote(entry.key)} is not a user with a password hash`;
    users.push({ user: entry.key, hash });
  }
  return users.length > 0 ? users : 'has no user';
}

function readExternalAuth(annotations: Annotations, report: Reporter): Middleware | undefined {
  const url = nginxAnnotation(annotations, 'auth-url');
  if (!url) return undefined;
  if (url.value.trim() === '') {
    report.error('InvalidAuth', url.key, 'auth-url is blank; the routes answer 503');
    return deny('auth-url blank');
  }
  const template = (key: string, value: string) => {
    const parsed = nginxTemplate(value.trim(), { escaped: true });
    if (!parsed.ok) report.error('InvalidAuth', key, `${quote(value)} ${parsed.error}; the routes answer 503`);
    return parsed.ok ? parsed.parts : undefined;
  };
  const address = template(url.key, url.value);
  if (!address) return deny('auth-url not usable');
  if (!/^https?:\/\/[^/]/.test(url.value.trim())) {
    report.error('InvalidAuth', url.key, `auth-url ${quote(url.value)} is not an http or https URL; the routes answer 503`);
    return deny('auth-url not a URL');
  }
  const signinFound = nginxAnnotation(annotations, 'auth-signin');
  const signin = signinFound && signinFound.value.trim() !== '' ? template(signinFound.key, signinFound.value) : undefined;
  const redirectFound = nginxAnnotation(annotations, 'auth-request-redirect');
  const requestRedirect = redirectFound && redirectFound.value.trim() !== '' ? template(redirectFound.key, redirectFound.value) : undefined;
  if ((signinFound && signinFound.value.trim() !== '' && !signin) || (redirectFound && redirectFound.value.trim() !== '' && !requestRedirect)) return deny('auth template not usable');
  const method = nginxAnnotation(annotations, 'auth-method')?.value.trim().toUpperCase();
  if (method !== undefined && method !== '' && !/^[A-Z]{1,20}$/.test(method)) {
    report.error('InvalidAuth', 'nginx.ingress.kubernetes.io/auth-method', `auth-method ${quote(method)} is not an HTTP method; the routes answer 503`);
    return deny('auth-method invalid');
  }
  const paramValue = nginxAnnotation(annotations, 'auth-signin-redirect-param')?.value.trim() || 'rd';
  const signinParam = /^[A-Za-z0-9_.-]{1,64}$/.test(paramValue) ? paramValue : 'rd';
  const responseHeaders: string[] = [];
  const headersFound = nginxAnnotation(annotations, 'auth-response-headers');
  for (const name of headersFound ? parseList(headersFound.value) : []) {
    if (headerNameProblem(name)) {
      report.error('InvalidAuth', headersFound?.key, `auth-response-headers: ${quote(name)} is not a header name; the routes answer 503`);
      return deny('auth-response-headers invalid');
    }
    const canonical = canonicalHeaderName(name);
    if (!responseHeaders.includes(canonical)) responseHeaders.push(canonical);
  }
  return {
    kind: 'forward-auth',
    address: url.value.trim(),
    trustForwardHeader: false,
    responseHeaders,
    nginx: {
      url: address,
      ...(method ? { method } : {}),
      ...(signin ? { signin } : {}),
      signinParam,
      ...(requestRedirect ? { requestRedirect } : {}),
    },
  };
}
