/**
 * The auth family (docs/guides/access-control.md): `auth-type` basic, digest or
 * forward and the options of each. Whatever is wrong (unknown type, a realm
 * other than `traefik`, a missing or unusable Secret, forward auth without a
 * URL, an option that does not parse) makes every route of the Ingress
 * answer 404 with a diagnostic (docs/design/decisions.md#decision-5-fail-per-path-and-closed-when-unsafe): a route is never served
 * unprotected because its protection failed to compile.
 *
 * @example
 * ```ts
 * readAuth({ 'ingress.kubernetes.io/auth-type': 'basic', 'ingress.kubernetes.io/auth-secret': 'htpasswd' },
 *   { namespace: 'shop', secret: (name) => cluster.secret('shop', name) }, report);
 * // { kind: 'basic-auth', secret: 'shop/htpasswd', removeHeader: false, users: [...] }
 * ```
 */
import { AUTH_REALM } from '../../table/credentials.ts';
import { HeaderNameSchema, type Middleware, type MiddlewareOf } from '../../table/middleware.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import type { SecretModel } from '../read/objects.ts';
import { describeUnusableLines, parseHtdigest, parseHtpasswd, secretEntries, type ParsedUsers } from './auth-secret.ts';
import { readForwardAuth } from './forward-auth.ts';
import { lookupAnnotation, type AnnotationValue } from './lookup.ts';
import { parseGoBool } from './values.ts';

export const AUTH_TYPES = ['basic', 'digest', 'forward'] as const;

/** Options read by basic and digest auth only, and by forward auth only. */
const CREDENTIAL_OPTIONS = ['auth-secret', 'auth-remove-header', 'auth-header-field'] as const;
const FORWARD_OPTIONS = ['auth-url', 'auth-trust-headers', 'auth-response-headers', 'auth-tls-secret', 'auth-tls-insecure'] as const;

/** Where auth finds the Secrets of the Ingress's namespace. */
export interface SecretSource {
  readonly namespace: string;
  secret(name: string): SecretModel | undefined;
}

type Annotations = Readonly<Record<string, string>>;

/**
 * Reads the auth family: its middleware, a 404 `deny`, or undefined when
 * `auth-type` is unset. An `auth-type` that is blank (`""`, spaces) while
 * other auth options are set is a `deny` (SECURITY.md findings: the author asked for
 * auth; a template that lost its value must not publish the route open).
 */
export function readAuth(annotations: Annotations, secrets: SecretSource, report: Reporter): Middleware | undefined {
  const type = lookupAnnotation(annotations, 'auth-type');
  if (!type || type.value.trim() === '') {
    const options = [...CREDENTIAL_OPTIONS, ...FORWARD_OPTIONS].filter((name) => (lookupAnnotation(annotations, name)?.value.trim() ?? '') !== '');
    if (type && (options.length > 0 || type.value !== '')) {
      report.error('InvalidAuth', type.key, `auth-type is blank${options.length > 0 ? ` but ${options.join(', ')} ${options.length === 1 ? 'is' : 'are'} set` : ''}; the routes of this Ingress answer 404`);
      return { kind: 'deny', status: 404, reason: 'authentication is misconfigured' };
    }
    warnIgnored(annotations, [...CREDENTIAL_OPTIONS, ...FORWARD_OPTIONS, 'auth-realm'], 'without auth-type', report);
    return undefined;
  }
  const auth = new AuthReader(annotations, secrets, type.key, report);
  const realm = lookupAnnotation(annotations, 'auth-realm');
  if (realm && realm.value !== '' && realm.value !== AUTH_REALM) {
    return auth.fail('InvalidAuth', realm.key, `auth-realm ${quote(realm.value)} is not ${JSON.stringify(AUTH_REALM)}, the only realm Traefik 1.7 accepts`);
  }
  switch (type.value.toLowerCase()) {
    case 'basic':
    case 'digest':
      warnIgnored(annotations, FORWARD_OPTIONS, `with auth-type ${quote(type.value)}`, report);
      return auth.credentials(type.value.toLowerCase() === 'basic' ? 'basic-auth' : 'digest-auth');
    case 'forward':
      warnIgnored(annotations, CREDENTIAL_OPTIONS, 'with auth-type "forward"', report);
      return readForwardAuth(auth);
    default:
      return auth.fail('InvalidAuth', type.key, `auth-type ${quote(type.value)} is not one of ${AUTH_TYPES.join(', ')}`);
  }
}

/** Reads auth options for one Ingress; every failure is reported once and becomes the 404 `deny`. */
export class AuthReader {
  readonly annotations: Annotations;
  readonly secrets: SecretSource;
  /** The key `auth-type` was found under: where a missing option is reported. */
  readonly typeKey: string;
  readonly report: Reporter;

  constructor(annotations: Annotations, secrets: SecretSource, typeKey: string, report: Reporter) {
    this.annotations = annotations;
    this.secrets = secrets;
    this.typeKey = typeKey;
    this.report = report;
  }

  fail(code: 'InvalidAuth' | 'InvalidAuthSecret', key: string, message: string): MiddlewareOf<'deny'> {
    this.report.error(code, key, `${message}; the routes of this Ingress answer 404`);
    return { kind: 'deny', status: 404, reason: 'authentication is misconfigured' };
  }

  /** The annotation when it is set to a non-empty value. */
  value(name: string): AnnotationValue | undefined {
    const found = lookupAnnotation(this.annotations, name);
    return found && found.value !== '' ? found : undefined;
  }

  /** A boolean option: its value, its default when unset, or a `deny` when it does not parse. */
  bool(name: string): boolean | MiddlewareOf<'deny'> {
    const found = this.value(name);
    if (!found) return false;
    const value = parseGoBool(found.value);
    return value ?? this.fail('InvalidAuth', found.key, `${name} ${quote(found.value)} is not a boolean`);
  }

  /** Basic or digest auth from the single-key Secret of `auth-secret`. */
  credentials(kind: 'basic-auth' | 'digest-auth'): Middleware {
    const removeHeader = this.bool('auth-remove-header');
    if (typeof removeHeader !== 'boolean') return removeHeader;
    const field = this.value('auth-header-field');
    if (field && !HeaderNameSchema.safeParse(field.value).success) {
      return this.fail('InvalidAuth', field.key, `auth-header-field ${quote(field.value)} is not a header name`);
    }
    const name = this.value('auth-secret');
    if (!name) return this.fail('InvalidAuth', this.typeKey, 'auth-secret is required for basic and digest auth');
    const text = this.secretText(name);
    if (typeof text !== 'string') return text;
    const options = { secret: `${this.secrets.namespace}/${name.value}`, removeHeader, ...(field ? { headerField: field.value } : {}) };
    if (kind === 'basic-auth') {
      const users = this.usable(parseHtpasswd(text), name);
      return isDeny(users) ? users : { kind, ...options, users: [...users] };
    }
    const parsed = parseHtdigest(text);
    if (parsed.otherRealms > 0) {
      this.report.warn('InvalidAuthSecret', name.key, `Secret ${quote(name.value)}: ${parsed.otherRealms} line(s) of a realm other than "traefik" can never match; skipped`);
    }
    const users = this.usable(parsed, name);
    return isDeny(users) ? users : { kind, ...options, users: [...users] };
  }

  /**
   * The users of a parsed Secret, each unusable line skipped with a warning
   * (docs/design/decisions.md#decision-17-an-unusable-credential-line-is-skipped),
   * or the `deny` when no line is usable.
   */
  usable<U>(parsed: ParsedUsers<U>, name: AnnotationValue): readonly U[] | MiddlewareOf<'deny'> {
    const where = `Secret ${quote(name.value)}`;
    for (const warning of parsed.warnings) this.report.warn('InvalidAuthSecret', name.key, `${where}: ${warning}`);
    const { lines, more } = describeUnusableLines(parsed.unusable);
    if (parsed.users.length === 0) {
      const why = lines.length > 0 ? `: ${lines.join('; ')}${more > 0 ? `; and ${more} more` : ''}` : '';
      return this.fail('InvalidAuthSecret', name.key, `${where} has no usable user line${why}`);
    }
    for (const line of lines) this.report.warn('InvalidAuthSecret', name.key, `${where} ${line}; line skipped, the other users still get in`);
    if (more > 0) this.report.warn('InvalidAuthSecret', name.key, `${where}: ${more} more unusable lines skipped`);
    return parsed.users;
  }

  /** The text of a single-key Secret, or the `deny` saying why there is none. */
  secretText(name: AnnotationValue): string | MiddlewareOf<'deny'> {
    const secret = this.secrets.secret(name.value);
    const where = `Secret ${quote(name.value)}`;
    if (!secret) return this.fail('InvalidAuthSecret', name.key, `${where} not found in namespace ${quote(this.secrets.namespace)}`);
    const entries = secretEntries(secret);
    if (entries.length !== 1) return this.fail('InvalidAuthSecret', name.key, `${where} has ${entries.length} keys; it must have exactly one`);
    const [entry] = entries;
    if (entry?.text === undefined) return this.fail('InvalidAuthSecret', name.key, `${where} key ${quote(entry?.key)} is not valid base64 UTF-8 text`);
    return entry.text;
  }
}

function warnIgnored(annotations: Annotations, names: readonly string[], when: string, report: Reporter): void {
  for (const name of names) {
    const found = lookupAnnotation(annotations, name);
    if (found && found.value !== '') report.warn('IgnoredAnnotation', found.key, `${name} has no effect ${when}`);
  }
}

/** Whether a reader's result is the failure `deny` rather than a value. */
export function isDeny(value: object): value is MiddlewareOf<'deny'> {
  return 'kind' in value && value.kind === 'deny';
}
