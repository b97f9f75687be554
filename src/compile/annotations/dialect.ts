/**
 * Which annotation keys a dialect reads. One value per dialect says it all:
 * the prefixes it owns (an unknown key under one is a typo worth a "did you
 * mean"), every key it reads, and which of them restrict access. The key
 * check (`./check.ts`) takes a dialect, so another dialect (ingress-nginx's,
 * reading `nginx.ingress.kubernetes.io/`) brings its own and the keys it
 * claims are no longer reported as another controller's.
 *
 * @example
 * ```ts
 * TRAEFIK_DIALECT.reads('traefik.frontend.rule.type');       // true
 * TRAEFIK_DIALECT.restrictsAccess('ingress.kubernetes.io/auth-url'); // true
 * ```
 */
import { CLASS_ANNOTATIONS } from '../ownership.ts';
import { ANNOTATION_FAMILIES, ANNOTATION_NAMES, ANNOTATION_PREFIXES, LEGACY_LABELS, LEGACY_STICKY_LABEL } from './catalog.ts';

export interface AnnotationDialect {
  /** For messages: "is not a Traefik 1.7 annotation". */
  readonly name: string;
  /** Prefixes whose keys belong to this dialect, e.g. `ingress.kubernetes.io/`. */
  readonly prefixes: readonly string[];
  /** Every key the dialect reads (suggestions are drawn from these). */
  readonly keys: ReadonlySet<string>;
  /** True for a key of this dialect whose loss would open a route (auth, allow-lists, client certificates). */
  restrictsAccess(key: string): boolean;
  /** Why a key it knows has no effect on an Ingress (read from another object), if so. */
  misplaced(key: string): string | undefined;
  /** True when the dialect reads the key. */
  reads(key: string): boolean;
}

/** Builds a dialect from its keys; `name` of a key is what follows its prefix. */
export function defineDialect(spec: {
  readonly name: string;
  readonly prefixes: readonly string[];
  readonly keys: Iterable<string>;
  readonly accessKeys: Iterable<string>;
  readonly misplaced?: (key: string) => string | undefined;
}): AnnotationDialect {
  const keys = new Set(spec.keys);
  const access = new Set(spec.accessKeys);
  return {
    name: spec.name,
    prefixes: spec.prefixes,
    keys,
    restrictsAccess: (key) => access.has(key),
    misplaced: spec.misplaced ?? (() => undefined),
    reads: (key) => keys.has(key),
  };
}

const ACCESS_FAMILIES = ['auth', 'whitelist'] as const;
const accessNames = new Set<string>(ACCESS_FAMILIES.flatMap((family) => ANNOTATION_FAMILIES[family].names));

/** Every name under both prefixes, the legacy labels, and the class annotations. */
function traefikKeys(): string[] {
  const names = [...ANNOTATION_NAMES.keys()];
  return [...ANNOTATION_PREFIXES.flatMap((prefix) => names.map((name) => prefix + name)), ...Object.values(LEGACY_LABELS), LEGACY_STICKY_LABEL, ...CLASS_ANNOTATIONS];
}

/** Traefik 1.7's Kubernetes provider, as edgress reads it. */
export const TRAEFIK_DIALECT: AnnotationDialect = defineDialect({
  name: 'Traefik 1.7',
  // The legacy labels (§3.0) live under traefik.frontend. and traefik.backend.
  prefixes: [...ANNOTATION_PREFIXES, 'traefik.frontend.', 'traefik.backend.'],
  keys: traefikKeys(),
  accessKeys: ANNOTATION_PREFIXES.flatMap((prefix) => [...accessNames].map((name) => prefix + name)),
  misplaced: (key) => {
    if (key === LEGACY_STICKY_LABEL) return `${key} is read from the Service in Traefik 1.7; ignored on an Ingress`;
    const name = ANNOTATION_PREFIXES.map((prefix) => (key.startsWith(prefix) ? key.slice(prefix.length) : undefined)).find(Boolean)
      ?? Object.entries(LEGACY_LABELS).find(([, label]) => label === key)?.[0];
    return name !== undefined && ANNOTATION_NAMES.get(name)?.status === 'service'
      ? `${name} is read from the Service in Traefik 1.7; ignored on an Ingress`
      : undefined;
  },
});
