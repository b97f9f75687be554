/**
 * Rule paths of one kind (element-wise prefixes, or string prefixes) grouped
 * by length, longest first. A lookup probes each length present instead of
 * each rule: most lengths hold a single key, compared in place with
 * `startsWith` (no substring, no hashing); a length shared by several keys
 * falls back to one map probe.
 *
 * @example
 * ```ts
 * const keys = new KeysByLength(true);   // element-wise: '/api' matches '/api/v1', not '/apiv1'
 * keys.add('/api', route);
 * keys.seal();
 * keys.longest('/api/v1', 'http');
 * ```
 */
import type { Scheme } from '../table/schema.ts';
import type { CompiledRoute } from './compiled-route.ts';

/** Routes sharing one key, oldest first. */
type RouteList = CompiledRoute[];

interface LengthSlot {
  readonly length: number;
  /** Set when this length holds exactly one key. */
  readonly key: string | undefined;
  readonly routes: RouteList | undefined;
  readonly byKey: ReadonlyMap<string, RouteList>;
}

const SLASH = 47;

export class KeysByLength {
  readonly #byKey = new Map<string, RouteList>();
  #slots: LengthSlot[] = [];
  readonly #elementWise: boolean;

  /** `elementWise`: a key matches only where the path ends or continues with `/` (Ingress `Prefix`). */
  constructor(elementWise: boolean) {
    this.#elementWise = elementWise;
  }

  get size(): number {
    return this.#byKey.size;
  }

  add(key: string, route: CompiledRoute): void {
    const list = this.#byKey.get(key);
    if (list) list.push(route);
    else this.#byKey.set(key, [route]);
  }

  /** Builds the per-length slots; call once after the last `add`. */
  seal(): void {
    const byLength = new Map<number, Map<string, RouteList>>();
    for (const [key, routes] of this.#byKey) {
      let keys = byLength.get(key.length);
      if (!keys) byLength.set(key.length, (keys = new Map()));
      keys.set(key, routes);
    }
    this.#slots = [...byLength]
      .sort(([a], [b]) => b - a)
      .map(([length, keys]) => {
        const only = keys.size === 1 ? [...keys][0] : undefined;
        return { length, key: only?.[0], routes: only?.[1], byKey: keys };
      });
  }

  /** The longest key that prefixes `path` and has a route for `scheme`. */
  longest(path: string, scheme: Scheme): { route: CompiledRoute; length: number } | undefined {
    for (const slot of this.#slots) {
      const length = slot.length;
      if (length > path.length) continue;
      if (this.#elementWise && length > 0 && length < path.length && path.charCodeAt(length) !== SLASH) continue;
      let routes: RouteList | undefined;
      if (slot.key !== undefined) routes = path.startsWith(slot.key) ? slot.routes : undefined;
      else routes = slot.byKey.get(path.slice(0, length));
      const route = routes && pickForScheme(routes, scheme);
      if (route) return { route, length };
    }
    return undefined;
  }
}

/** The first route (oldest) of a list that exists for the request's scheme. */
export function pickForScheme(routes: readonly CompiledRoute[] | undefined, scheme: Scheme): CompiledRoute | undefined {
  if (!routes) return undefined;
  for (const route of routes) {
    const schemes = route.router.schemes;
    if (!schemes || schemes.includes(scheme)) return route;
  }
  return undefined;
}
