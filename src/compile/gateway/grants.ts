/**
 * ReferenceGrants: may an object of kind `from` in one namespace refer to
 * an object of kind `to` in another? A grant lives in the target namespace;
 * its `from` and `to` entries each combine by OR, and a `to` without a name
 * allows every object of that kind there.
 *
 * @example
 * ```ts
 * const grants = new ReferenceGrants(inputs.grants);
 * grants.allows({ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: 'shop' },
 *               { group: '', kind: 'Service', namespace: 'backends', name: 'web' });
 * ```
 */
import { asArray, asRecord, asString } from '../read/fields.ts';
import type { GatewayObject } from './objects.ts';

export interface GrantFrom {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
}

export interface GrantTo {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

interface Grant {
  readonly from: readonly GrantFrom[];
  readonly to: readonly { readonly group: string; readonly kind: string; readonly name: string | undefined }[];
}

export class ReferenceGrants {
  /** Grants by the namespace they live in (the target namespace). */
  readonly #byNamespace = new Map<string, Grant[]>();

  constructor(grants: readonly GatewayObject[]) {
    for (const grant of grants) {
      const read = readGrant(grant);
      const list = this.#byNamespace.get(grant.namespace!);
      if (list) list.push(read);
      else this.#byNamespace.set(grant.namespace!, [read]);
    }
  }

  /** True when the reference stays in its namespace or a grant in the target namespace allows it. */
  allows(from: GrantFrom, to: GrantTo): boolean {
    if (from.namespace === to.namespace) return true;
    return (this.#byNamespace.get(to.namespace) ?? []).some(
      (grant) =>
        grant.from.some((entry) => entry.group === from.group && entry.kind === from.kind && entry.namespace === from.namespace) &&
        grant.to.some((entry) => entry.group === to.group && entry.kind === to.kind && (entry.name === undefined || entry.name === to.name)),
    );
  }
}

/** Where a grant cannot be read (its malformed entries allow nothing), so the user hears why a reference is refused. */
export function grantProblems(grant: GatewayObject): { readonly field: string; readonly message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const [key, needed] of [['from', ['kind', 'namespace']], ['to', ['kind']]] as const) {
    const list = asArray(grant.spec[key]);
    if (!list) {
      problems.push({ field: `spec.${key}`, message: 'must be a list; the grant allows nothing' });
      continue;
    }
    list.forEach((value, index) => {
      const entry = asRecord(value);
      const missing = needed.filter((name) => !asString(entry?.[name]));
      if (missing.length > 0) problems.push({ field: `spec.${key}[${index}]`, message: `must be a mapping with ${missing.join(' and ')}; this entry allows nothing` });
    });
  }
  return problems;
}

/** Malformed entries allow nothing (the API server's schema would have refused them). */
function readGrant(grant: GatewayObject): Grant {
  const from = (asArray(grant.spec['from']) ?? []).flatMap((value) => {
    const entry = asRecord(value);
    const kind = asString(entry?.['kind']);
    const namespace = asString(entry?.['namespace']);
    return kind && namespace ? [{ group: asString(entry?.['group']) ?? '', kind, namespace }] : [];
  });
  const to = (asArray(grant.spec['to']) ?? []).flatMap((value) => {
    const entry = asRecord(value);
    const kind = asString(entry?.['kind']);
    const name = asString(entry?.['name']);
    return kind ? [{ group: asString(entry?.['group']) ?? '', kind, name: name === '' ? undefined : name }] : [];
  });
  return { from, to };
}
