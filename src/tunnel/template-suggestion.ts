/**
 * A hostname template that tells apart Service ports an existing template
 * gives the same tunnel hostname. Service and namespace names may contain
 * `-`, so `{service}-{namespace}` makes `a-b` in `c` and `a` in `b-c` both
 * `a-b-c`; no separator inside one DNS label is safe for every pair of
 * names, so candidates are tried in order (add `{port}` when two ports of one
 * Service collide, then longer separators between the placeholders, then
 * each placeholder in a label of its own) and the first that gives every
 * target of the table its own valid hostname is returned. A suggestion is
 * never a guess: it has been checked against all the targets.
 *
 * @example
 * ```ts
 * suggestTemplate('{service}-{namespace}.tunnel.example.com', targets);
 * // '{service}--{namespace}.tunnel.example.com'
 * ```
 */
import type { ServiceTarget } from '../table/schema.ts';
import { hostnameProblem, parseHostnameTemplate, tunnelHostname, type HostnameTemplate } from './hostname-template.ts';

const PIECES = /(\{[a-z]+\})/;
/** Separators tried between two placeholders of one label, shortest first. */
const SEPARATORS = ['-', '--', '---', '-x-', '----', '-xx-'] as const;

/** A template under which every target has a hostname of its own, or undefined when none of the candidates works. */
export function suggestTemplate(text: string, targets: readonly ServiceTarget[], taken: (hostname: string) => boolean = () => false): string | undefined {
  const samePortless = !text.includes('{port}') && sharesServiceAcrossPorts(targets);
  const base = samePortless ? text.replace('{service}', '{service}-{port}') : text;
  const candidates = [...SEPARATORS.map((separator) => separate(base, separator)), separate(base, '.')];
  return candidates.find((candidate) => candidate !== text && separatesAll(candidate, targets, taken));
}

/** Whether every distinct target gets a valid hostname of its own under the template, none of them `taken`. */
export function separatesAll(text: string, targets: readonly ServiceTarget[], taken: (hostname: string) => boolean = () => false): boolean {
  const parsed = parseHostnameTemplate(text);
  if (!parsed.ok || firstCollision(parsed.template, targets) !== undefined) return false;
  return targets.every((target) => {
    const hostname = tunnelHostname(parsed.template, target);
    return hostnameProblem(hostname) === undefined && !taken(hostname);
  });
}

/** Two distinct targets that share a hostname under the template, if any. */
export function firstCollision(template: HostnameTemplate, targets: readonly ServiceTarget[]): readonly [ServiceTarget, ServiceTarget] | undefined {
  const seen = new Map<string, ServiceTarget>();
  for (const target of targets) {
    const hostname = tunnelHostname(template, target);
    const other = seen.get(hostname);
    if (other && !sameTarget(other, target)) return [other, target];
    seen.set(hostname, target);
  }
  return undefined;
}

export function sameTarget(a: ServiceTarget, b: ServiceTarget): boolean {
  return a.namespace === b.namespace && a.name === b.name && a.port === b.port;
}

function sharesServiceAcrossPorts(targets: readonly ServiceTarget[]): boolean {
  const ports = new Map<string, Set<number>>();
  for (const target of targets) {
    const key = `${target.namespace}/${target.name}`;
    ports.set(key, (ports.get(key) ?? new Set()).add(target.port));
  }
  return [...ports.values()].some((set) => set.size > 1);
}

/**
 * The template with `separator` between each two placeholders that share a
 * DNS label (a literal of their own between them is kept, set off by the
 * separator on both sides).
 */
function separate(text: string, separator: string): string {
  const pieces = text.split(PIECES);
  return pieces
    .map((piece, index) => {
      const between = index > 0 && index < pieces.length - 1 && !PIECES.test(piece);
      if (!between || piece.includes('.')) return piece;
      const core = piece.replace(/^-+|-+$/g, '');
      return core ? `${separator}${core}${separator}` : separator;
    })
    .join('');
}
