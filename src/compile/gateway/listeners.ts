/**
 * A Gateway's listeners: what each accepts (protocol, hostname, which
 * routes may attach) and its status conditions. HTTP and HTTPS listeners are
 * served; other protocols are `Accepted=False UnsupportedProtocol`. Two
 * listeners on one port with different protocols, or one port, protocol and
 * hostname, conflict and neither is used (the spec forbids picking a winner).
 *
 * TLS terminates at the edge with the edge's certificate, so an HTTPS
 * listener's `certificateRefs` are checked (the status says when one is
 * unusable) but do not decide whether it routes.
 *
 * @example
 * ```ts
 * const listeners = readListeners(gateway, { grants, secret, namespaceLabels, report });
 * listeners[0].allows('shop', { group: GATEWAY_GROUP, kind: 'HTTPRoute' });
 * ```
 */
import type { Reporter } from '../diagnostics.ts';
import { quote } from '../diagnostics.ts';
import type { LabelSelector } from '../selector.ts';
import { asArray, asInt, asRecord, asString, type JsonRecord } from '../read/fields.ts';
import type { SecretModel } from '../read/objects.ts';
import { conditionsFor, type Failure } from './conditions.ts';
import type { ReferenceGrants } from './grants.ts';
import { hostnameProblem } from './hostnames.ts';
import { readLabelSelector } from './label-selector.ts';
import { GATEWAY_GROUP, type GatewayObject } from './objects.ts';
import type { GatewayCondition, RouteGroupKind } from './report.ts';

export const HTTP_ROUTE_KIND: RouteGroupKind = { group: GATEWAY_GROUP, kind: 'HTTPRoute' };

export interface Listener {
  readonly name: string;
  readonly field: string;
  readonly hostname: string | undefined;
  readonly port: number | undefined;
  readonly protocol: string;
  /** The request scheme this listener receives, when it is served. */
  readonly scheme: 'http' | 'https' | undefined;
  /** Accepted: routes attached to it are routed. */
  readonly accepted: boolean;
  readonly supportedKinds: readonly RouteGroupKind[];
  /** May a route of this kind in this namespace attach (allowedRoutes)? */
  allows(namespace: string, kind: RouteGroupKind): boolean;
  /** Conditions other than those the attached routes decide. */
  readonly conditions: readonly GatewayCondition[];
}

export interface ListenerContext {
  readonly grants: ReferenceGrants;
  secret(namespace: string, name: string): SecretModel | undefined;
  namespaceLabels(namespace: string): Readonly<Record<string, string>>;
  readonly report: Reporter;
}

interface Draft {
  readonly name: string;
  readonly field: string;
  readonly hostname: string | undefined;
  readonly port: number | undefined;
  readonly protocol: string;
  readonly supportedKinds: RouteGroupKind[];
  readonly namespaces: (namespace: string) => boolean;
  accepted: Failure | undefined;
  conflicted: Failure | undefined;
  resolved: Failure | undefined;
}

export function readListeners(gateway: GatewayObject, ctx: ListenerContext): Listener[] {
  const list = asArray(gateway.spec['listeners']) ?? [];
  if (list.length === 0) ctx.report.error('GatewayNotAccepted', 'spec.listeners', 'a Gateway needs at least one listener; nothing is served');
  const drafts = list.map((value, index) => readListener(gateway, asRecord(value) ?? {}, `spec.listeners[${index}]`, ctx));
  markConflicts(drafts);
  const at = conditionsFor(gateway.generation);
  return drafts.map((draft) => {
    const accepted = draft.accepted ?? draft.conflicted;
    const programmed: Failure | undefined = accepted
      ? { reason: 'Invalid', message: 'the listener is not accepted' }
      : draft.resolved && { reason: 'Invalid', message: 'the listener has unresolved references' };
    for (const failure of [accepted, draft.resolved]) if (failure) ctx.report.error('GatewayNotAccepted', draft.field, `listener ${quote(draft.name)}: ${failure.reason}: ${failure.message}`);
    const scheme = draft.protocol === 'HTTP' ? 'http' : draft.protocol === 'HTTPS' ? 'https' : undefined;
    const supported = draft.supportedKinds;
    return {
      name: draft.name,
      field: draft.field,
      hostname: draft.hostname,
      port: draft.port,
      protocol: draft.protocol,
      scheme,
      accepted: accepted === undefined && scheme !== undefined,
      supportedKinds: supported,
      allows: (namespace, kind) => draft.namespaces(namespace) && supported.some((entry) => entry.group === kind.group && entry.kind === kind.kind),
      conditions: [
        at.condition('Accepted', accepted, 'Accepted', 'the listener is served at the edge'),
        draft.conflicted
          ? at.raw('Conflicted', 'True', draft.conflicted.reason, draft.conflicted.message)
          : at.raw('Conflicted', 'False', 'NoConflicts', 'no conflicts'),
        at.condition('Programmed', programmed, 'Programmed', 'the listener is programmed at the edge'),
        at.condition('ResolvedRefs', draft.resolved, 'ResolvedRefs', 'all references resolved'),
      ],
    };
  });
}

function readListener(gateway: GatewayObject, spec: JsonRecord, field: string, ctx: ListenerContext): Draft {
  const name = asString(spec['name']) ?? '';
  const protocol = asString(spec['protocol']) ?? '';
  const port = asInt(spec['port'], 1, 65535);
  const rawHostname = spec['hostname'];
  const hostname = typeof rawHostname === 'string' && rawHostname !== '' ? rawHostname : undefined;
  let accepted: Failure | undefined;
  if (name === '') accepted = { reason: 'UnsupportedValue', message: `${field}.name is required` };
  else if (protocol !== 'HTTP' && protocol !== 'HTTPS') {
    accepted = { reason: 'UnsupportedProtocol', message: `protocol ${quote(protocol)} is not served at the edge (HTTP and HTTPS are)` };
  } else if (port === undefined) accepted = { reason: 'UnsupportedValue', message: 'port must be a number 1-65535' };
  // A hostname that is not a string must not leave the listener open to every host.
  else if (rawHostname !== undefined && rawHostname !== null && typeof rawHostname !== 'string') accepted = { reason: 'UnsupportedValue', message: `hostname must be a string, not a ${typeof rawHostname}` };
  else if (hostname !== undefined && hostnameProblem(hostname)) {
    accepted = { reason: 'UnsupportedValue', message: `hostname ${quote(hostname)}: ${hostnameProblem(hostname)}` };
  }
  const allowed = asRecord(spec['allowedRoutes']);
  const kinds = readKinds(allowed?.['kinds'], protocol);
  const from = readNamespaces(gateway, asRecord(allowed?.['namespaces']), ctx);
  if (typeof from === 'string') accepted ??= { reason: 'UnsupportedValue', message: `allowedRoutes.namespaces: ${from}` };
  let resolved = kinds.invalid.length > 0
    ? { reason: 'InvalidRouteKinds', message: `route kinds not supported: ${kinds.invalid.map((kind) => `${kind.group}/${kind.kind}`).join(', ')} (HTTPRoute is)` }
    : undefined;
  if (protocol === 'HTTPS') resolved ??= checkTls(gateway, asRecord(spec['tls']), ctx, (failure) => (accepted ??= failure));
  return {
    name, field, hostname, port, protocol,
    supportedKinds: protocol === 'HTTP' || protocol === 'HTTPS' ? kinds.valid : [],
    namespaces: typeof from === 'string' ? () => false : from,
    accepted, conflicted: undefined, resolved,
  };
}

function readKinds(value: unknown, protocol: string): { valid: RouteGroupKind[]; invalid: RouteGroupKind[] } {
  const list = asArray(value);
  if (!list || list.length === 0) return { valid: [HTTP_ROUTE_KIND], invalid: [] };
  const valid: RouteGroupKind[] = [];
  const invalid: RouteGroupKind[] = [];
  for (const entry of list) {
    const record = asRecord(entry);
    const kind = { group: asString(record?.['group']) ?? GATEWAY_GROUP, kind: asString(record?.['kind']) ?? '' };
    const ok = kind.group === GATEWAY_GROUP && kind.kind === 'HTTPRoute' && (protocol === 'HTTP' || protocol === 'HTTPS');
    (ok ? valid : invalid).push(kind);
  }
  return { valid, invalid };
}

/** Which route namespaces may attach, or why the setting is unusable. */
function readNamespaces(gateway: GatewayObject, value: JsonRecord | undefined, ctx: ListenerContext): ((namespace: string) => boolean) | string {
  const from = asString(value?.['from']) ?? 'Same';
  switch (from) {
    case 'Same':
      return (namespace) => namespace === gateway.namespace;
    case 'All':
      return () => true;
    case 'None':
      return () => false;
    case 'Selector': {
      const read = readLabelSelector(value?.['selector']);
      if (!read.ok) return `selector ${read.error}`;
      const selector: LabelSelector = read.selector;
      return (namespace) => selector(ctx.namespaceLabels(namespace));
    }
    default:
      return `from ${quote(from)} is not Same, All, Selector or None`;
  }
}

/** The certificate references of an HTTPS listener; `reject` marks the listener not accepted (passthrough). */
function checkTls(gateway: GatewayObject, tls: JsonRecord | undefined, ctx: ListenerContext, reject: (failure: Failure) => void): Failure | undefined {
  const mode = asString(tls?.['mode']) ?? 'Terminate';
  if (mode !== 'Terminate') {
    reject({ reason: 'UnsupportedValue', message: `tls.mode ${quote(mode)}: an HTTPS listener terminates TLS (Passthrough needs a TLSRoute)` });
    return undefined;
  }
  const refs = asArray(tls?.['certificateRefs']) ?? [];
  if (refs.length === 0) return { reason: 'InvalidCertificateRef', message: 'an HTTPS listener needs tls.certificateRefs' };
  for (const [index, value] of refs.entries()) {
    const ref = asRecord(value);
    const group = asString(ref?.['group']) ?? '';
    const kind = asString(ref?.['kind']) ?? 'Secret';
    const name = asString(ref?.['name']) ?? '';
    const namespace = asString(ref?.['namespace']) || gateway.namespace!;
    const where = `tls.certificateRefs[${index}]`;
    if (group !== '' || kind !== 'Secret') return { reason: 'InvalidCertificateRef', message: `${where}: ${quote(`${group}/${kind}`)} is not a Secret` };
    const allowed = ctx.grants.allows({ group: GATEWAY_GROUP, kind: 'Gateway', namespace: gateway.namespace! }, { group: '', kind: 'Secret', namespace, name });
    if (!allowed) return { reason: 'RefNotPermitted', message: `${where}: Secret ${namespace}/${name} is in another namespace and no ReferenceGrant there allows it` };
    const secret = ctx.secret(namespace, name);
    if (!secret) return { reason: 'InvalidCertificateRef', message: `${where}: Secret ${namespace}/${name} not found` };
    const certificate = secretText(secret, 'tls.crt');
    const key = secretText(secret, 'tls.key');
    if (secret.type !== 'kubernetes.io/tls' || certificate === undefined || key === undefined) {
      return { reason: 'InvalidCertificateRef', message: `${where}: Secret ${namespace}/${name} is not a kubernetes.io/tls Secret with tls.crt and tls.key` };
    }
    if (!certificate.includes('-----BEGIN CERTIFICATE-----') || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) {
      return { reason: 'InvalidCertificateRef', message: `${where}: Secret ${namespace}/${name} does not hold a PEM certificate and private key` };
    }
  }
  return undefined;
}

/** A Secret key's text: `stringData` as written, `data` decoded from base64; undefined when absent or not base64. */
function secretText(secret: SecretModel, key: string): string | undefined {
  const plain = secret.stringData[key];
  if (typeof plain === 'string') return plain;
  const encoded = secret.data[key];
  if (typeof encoded !== 'string') return undefined;
  try {
    return atob(encoded.replace(/\s+/g, ''));
  } catch {
    return undefined;
  }
}

/** Listeners sharing a port with another protocol, or a port, protocol and hostname, conflict. */
function markConflicts(drafts: Draft[]): void {
  for (const draft of drafts) {
    if (draft.port === undefined || draft.accepted) continue;
    for (const other of drafts) {
      if (other === draft || other.port !== draft.port || other.accepted) continue;
      if (other.protocol !== draft.protocol) {
        draft.conflicted = { reason: 'ProtocolConflict', message: `port ${draft.port} is also used by listener ${quote(other.name)} with protocol ${other.protocol}` };
      } else if (other.hostname === draft.hostname) {
        draft.conflicted ??= { reason: 'HostnameConflict', message: `listener ${quote(other.name)} has the same port, protocol and hostname` };
      }
    }
  }
}
