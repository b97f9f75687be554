/**
 * Traefik 1.7's annotation key lookup (docs/reference/annotations.md): `ingress.kubernetes.io/<name>`,
 * else `traefik.ingress.kubernetes.io/<name>`, else the legacy
 * `traefik.frontend.*` / `traefik.backend.*` label. The first key present
 * wins even when its value is empty. The key used comes back with the value,
 * so diagnostics name what the user wrote.
 *
 * @example
 * ```ts
 * lookupAnnotation({ 'traefik.frontend.rule.type': 'PathStrip' }, 'rule-type');
 * // { key: 'traefik.frontend.rule.type', value: 'PathStrip' }
 * ```
 */
import { ANNOTATION_PREFIXES, LEGACY_LABELS } from './catalog.ts';

const LEGACY_NAMES: ReadonlyMap<string, string> = new Map(Object.entries(LEGACY_LABELS).map(([name, label]) => [label, name]));

export interface AnnotationValue {
  /** The key that was found, e.g. `traefik.ingress.kubernetes.io/priority`. */
  readonly key: string;
  readonly value: string;
}

/**
 * Per annotations object, the value each Traefik annotation name resolves
 * to: the object's keys are read once (an Ingress has a handful), and the
 * tens of lookups per Ingress are one map probe each.
 */
const INDEXES = new WeakMap<object, ReadonlyMap<string, AnnotationValue>>();
const NONE: ReadonlyMap<string, AnnotationValue> = new Map();

/** The value of annotation `name` and the key it was found under, or undefined. */
export function lookupAnnotation(
  annotations: Readonly<Record<string, string>>,
  name: string,
): AnnotationValue | undefined {
  let index = INDEXES.get(annotations);
  if (index === undefined) INDEXES.set(annotations, (index = indexAnnotations(annotations)));
  return index.get(name);
}

/** Name → the key that wins for it: the first prefix, then the second, then the legacy label. */
function indexAnnotations(annotations: Readonly<Record<string, string>>): ReadonlyMap<string, AnnotationValue> {
  let index: Map<string, AnnotationValue & { rank: number }> | undefined;
  for (const key of Object.keys(annotations)) {
    const found = nameOf(key);
    const value = annotations[key];
    if (!found || typeof value !== 'string') continue;
    const current = index?.get(found.name);
    if (current && current.rank <= found.rank) continue;
    (index ??= new Map()).set(found.name, { key, value, rank: found.rank });
  }
  if (!index) return NONE;
  return new Map([...index].map(([name, { key, value }]) => [name, { key, value }]));
}

function nameOf(key: string): { name: string; rank: number } | undefined {
  for (let rank = 0; rank < ANNOTATION_PREFIXES.length; rank++) {
    const prefix = ANNOTATION_PREFIXES[rank]!;
    if (key.startsWith(prefix)) return { name: key.slice(prefix.length), rank };
  }
  const legacy = LEGACY_NAMES.get(key);
  return legacy === undefined ? undefined : { name: legacy, rank: ANNOTATION_PREFIXES.length };
}
