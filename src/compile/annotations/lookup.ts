/**
 * Traefik 1.7's annotation key lookup (§3.0): `ingress.kubernetes.io/<name>`,
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

export interface AnnotationValue {
  /** The key that was found, e.g. `traefik.ingress.kubernetes.io/priority`. */
  readonly key: string;
  readonly value: string;
}

/** Keys to try per annotation name, built on first use (lookups run tens of times per Ingress). */
const KEYS = new Map<string, readonly string[]>();

/** The value of annotation `name` and the key it was found under, or undefined. */
export function lookupAnnotation(
  annotations: Readonly<Record<string, string>>,
  name: string,
): AnnotationValue | undefined {
  let keys = KEYS.get(name);
  if (keys === undefined) {
    const legacy = LEGACY_LABELS[name];
    keys = legacy === undefined ? ANNOTATION_PREFIXES.map((p) => p + name) : [...ANNOTATION_PREFIXES.map((p) => p + name), legacy];
    KEYS.set(name, keys);
  }
  for (const key of keys) {
    const value = annotations[key];
    if (value !== undefined && Object.hasOwn(annotations, key)) return { key, value };
  }
  return undefined;
}
