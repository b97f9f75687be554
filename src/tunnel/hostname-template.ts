/**
 * Per-Service tunnel hostnames (the `tunnel-hostnames` transport): one public
 * hostname per Service port, made from a template such as
 * `{service}-{namespace}.tunnel.example.com`. The worker fetches that
 * hostname; cloudflared's ingress rule for it (`edgress tunnel-config`) sends
 * the request to the Service. Both sides derive the names here, so they
 * cannot disagree.
 *
 * Placeholders: `{service}`, `{namespace}` (both required) and `{port}`
 * (needed when one Service has several ports behind Ingresses). The result
 * must be a lower-case DNS name with labels of at most 63 characters. Names
 * may contain `-`, so two Services can still share a hostname
 * (`{service}-{namespace}`: `a-b` in `c` and `a` in `b-c`); `edgress
 * tunnel-config` finds such collisions in the table and suggests a template
 * that tells the names apart (`./template-suggestion.ts`).
 *
 * @example
 * ```ts
 * const template = parseHostnameTemplate('{service}-{namespace}.tunnel.example.com');
 * if (template.ok) tunnelHostname(template.template, { namespace: 'shop', name: 'web', port: 80 });
 * // 'web-shop.tunnel.example.com'
 * ```
 */
import { MAX_HOST_LENGTH } from '../table/constants.ts';
import type { ServiceTarget } from '../table/schema.ts';

/** A checked template (see {@link parseHostnameTemplate}). */
export interface HostnameTemplate {
  readonly text: string;
  /** Whether `{port}` appears: without it, two ports of one Service share a hostname. */
  readonly hasPort: boolean;
}

export type TemplateResult = { readonly ok: true; readonly template: HostnameTemplate } | { readonly ok: false; readonly error: string };

const PLACEHOLDER = /\{([a-z]+)\}/g;
const KNOWN = new Set(['service', 'namespace', 'port']);
const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** What a placeholder may stand for while checking the template's shape. */
const SAMPLE = { service: 'svc', namespace: 'ns', port: '80' } as const;

export function parseHostnameTemplate(text: string): TemplateResult {
  const names = [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
  const unknown = names.find((name) => !KNOWN.has(name));
  if (unknown !== undefined) return { ok: false, error: `unknown placeholder {${unknown}} (use {service}, {namespace}, {port})` };
  if (!names.includes('service') || !names.includes('namespace')) return { ok: false, error: 'must contain {service} and {namespace}' };
  const sample = fill(text, SAMPLE);
  if (hostnameProblem(sample) !== undefined || !sample.includes('.')) return { ok: false, error: `"${text}" does not make a lower-case DNS name such as ${sample}` };
  return { ok: true, template: { text, hasPort: names.includes('port') } };
}

/** The hostname of one Service port. */
export function tunnelHostname(template: HostnameTemplate, target: ServiceTarget): string {
  return fill(template.text, { service: target.name, namespace: target.namespace, port: String(target.port) });
}

/** Why `hostname` cannot be a public DNS name (a label too long, a bad character), or undefined. */
export function hostnameProblem(hostname: string): string | undefined {
  if (hostname.length > MAX_HOST_LENGTH) return `longer than ${MAX_HOST_LENGTH} characters`;
  const bad = hostname.split('.').find((label) => !LABEL.test(label));
  return bad === undefined ? undefined : `label "${bad}" is not a DNS label of at most 63 lower-case characters`;
}

function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}
