/**
 * `pass-client-tls-cert` (YAML) and the deprecated `pass-tls-cert` (legacy
 * label `traefik.frontend.passTLSCert`, default from the provider option
 * `enablePassTLSCert`): the client certificate the edge verified, sent to the
 * pod in Traefik's `X-Forwarded-Tls-Client-Cert` and
 * `X-Forwarded-Tls-Client-Cert-Infos` headers.
 *
 * YAML keys are lower case as yaml.v2 read them (`notafter`, `commonname`,
 * …); others are reported and ignored, as Traefik ignored them. Unlike
 * Traefik 1.7, whose template filled the issuer flags from the subject's,
 * `issuer:` is honoured as written. Only the leaf certificate is described
 * (the platform describes no other); SANs are read from its DER.
 *
 * `pass-tls-cert` made Traefik 1.7 present its entry point's certificates to
 * the backend, which has no edge equivalent; edgress gives it its documented
 * meaning instead, "forward the client certificate": `pem: true`.
 *
 * Ignoring either is safe: a client's own copies of both headers are always
 * removed (`X-Forwarded-*` never crosses the edge from a client).
 *
 * @example
 * ```ts
 * readClientCertificate(scope, false);  // pass-client-tls-cert: "infos: {notafter: true, subject: {commonname: true}}"
 * // { kind: 'pass-tls-client-cert', pem: false,
 * //   infos: { notBefore: false, notAfter: true, sans: false, subject: ['CN'], issuer: [] } }
 * ```
 */
import { DN_FIELDS, type DnField } from '../../table/http-middleware.ts';
import type { MiddlewareOf } from '../../table/middleware.ts';
import { quote } from '../diagnostics.ts';
import type { FeatureScope } from './feature-scope.ts';
import { parseYamlBlock } from './values.ts';

type PassClientCert = MiddlewareOf<'pass-tls-client-cert'>;

/** YAML key of each distinguished-name flag. */
const DN_KEYS: Readonly<Record<string, DnField>> = {
  domaincomponent: 'DC',
  country: 'C',
  province: 'ST',
  locality: 'L',
  organization: 'O',
  serialnumber: 'SN',
  commonname: 'CN',
};
const YAML11_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const YAML11_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const INFO_FLAGS = { notbefore: 'notBefore', notafter: 'notAfter', sans: 'sans' } as const;

export function readClientCertificate(scope: FeatureScope, passTlsCertDefault: boolean): PassClientCert | undefined {
  const passTlsCert = scope.bool('pass-tls-cert', { fallback: passTlsCertDefault }) ?? passTlsCertDefault;
  const explicit = scope.lookup('pass-tls-cert');
  if (passTlsCert && explicit) {
    scope.report.warn(
      'EdgeLimitation',
      explicit.key,
      "pass-tls-cert made Traefik 1.7 present its entry point's certificate to the backend, which has no edge equivalent; edgress forwards the client certificate instead (pem)",
    );
  }
  const config = readPassClientCert(scope);
  const pem = passTlsCert || config?.pem === true;
  const infos = config?.infos ?? { notBefore: false, notAfter: false, sans: false, subject: [], issuer: [] };
  const anyInfo = infos.notBefore || infos.notAfter || infos.sans || infos.subject.length > 0 || infos.issuer.length > 0;
  if (!pem && !anyInfo) return undefined;
  return { kind: 'pass-tls-client-cert', pem, infos };
}

function readPassClientCert(scope: FeatureScope): Pick<PassClientCert, 'pem' | 'infos'> | undefined {
  const found = scope.string('pass-client-tls-cert');
  if (!found) return undefined;
  const yaml = parseYamlBlock(found.value);
  if (!yaml.ok) return void scope.invalid(found.key, `pass-client-tls-cert is not valid YAML (${yaml.error})`);
  const reader = new FlagReader(scope, found.key);
  const root = reader.map(yaml.value, '');
  if (!root) return undefined;
  const pem = reader.flag(root, 'pem', '');
  const infosMap = reader.map(root['infos'], 'infos.');
  reader.unknown(root, ['pem', 'infos'], '');
  const infos: PassClientCert['infos'] = { notBefore: false, notAfter: false, sans: false, subject: [], issuer: [] };
  if (infosMap) {
    for (const [key, field] of Object.entries(INFO_FLAGS)) infos[field] = reader.flag(infosMap, key, 'infos.');
    infos.subject = reader.dn(infosMap['subject'], 'infos.subject.');
    infos.issuer = reader.dn(infosMap['issuer'], 'infos.issuer.');
    reader.unknown(infosMap, [...Object.keys(INFO_FLAGS), 'subject', 'issuer'], 'infos.');
  }
  return { pem, infos };
}

class FlagReader {
  readonly #scope: FeatureScope;
  readonly #key: string;

  constructor(scope: FeatureScope, key: string) {
    this.#scope = scope;
    this.#key = key;
  }

  map(value: unknown, path: string): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    return void this.#scope.invalid(this.#key, `${path || 'pass-client-tls-cert'} must be a map`);
  }

  flag(map: Record<string, unknown>, key: string, path: string): boolean {
    const value = map[key];
    if (value === undefined || value === null || typeof value === 'boolean') return value === true;
    // yaml.v2 (YAML 1.1) also read these words as booleans; js-yaml (YAML 1.2) leaves them strings.
    if (typeof value === 'string' && YAML11_TRUE.has(value)) return true;
    if (typeof value === 'string' && YAML11_FALSE.has(value)) return false;
    this.#scope.report.error('InvalidAnnotation', this.#key, `${path}${key} ${quote(value)} is not true or false; using false`);
    return false;
  }

  dn(value: unknown, path: string): DnField[] {
    const map = this.map(value, path.slice(0, -1));
    if (!map) return [];
    this.unknown(map, Object.keys(DN_KEYS), path);
    const chosen = new Set(Object.entries(DN_KEYS).filter(([key]) => this.flag(map, key, path)).map(([, field]) => field));
    return DN_FIELDS.filter((field) => chosen.has(field));
  }

  unknown(map: Record<string, unknown>, known: readonly string[], path: string): void {
    for (const key of Object.keys(map).filter((candidate) => !known.includes(candidate))) {
      this.#scope.report.warn('IgnoredAnnotation', this.#key, `${path}${key} is not a key Traefik 1.7 reads (they are lower case); ignored`);
    }
  }
}
