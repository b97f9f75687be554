/**
 * `service-weights` (docs/guides/traffic.md), with Traefik 1.7's
 * arithmetic: a percentage is kept in thousandths of a percent (100 % =
 * 100 000), a bare number is a percentage too (`0.5` is 0.5 %), more than
 * three decimals are truncated. Per (host, path) group of one Ingress, every
 * listed Service gets its share; the remainder is split over the omitted
 * Services by instance count; each instance gets `trunc(share / instances)`.
 *
 * @example
 * ```ts
 * parsePercentage('12.5%');   // 12500
 * parseServiceWeights('a: 10%\nb: 90'); // { ok: true, weights: Map { 'a' => 10000, 'b' => 90000 } }
 * allocateWeights([{ service: 'a', instances: 2 }, { service: 'b', instances: 1 }], new Map([['a', 10_000]]));
 * // { ok: true, members: [{ service: 'a', perInstance: 5000 }, { service: 'b', perInstance: 90000 }] }
 * ```
 */
import { parseYamlBlock } from '../annotations/values.ts';

/** 100 % in the allocator's unit (thousandths of a percent). */
export const WHOLE = 100_000;

const GO_FLOAT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** A percentage (`12.5%`, `12.5`, `75`) in thousandths of a percent; undefined when it does not parse. */
export function parsePercentage(text: string): number | undefined {
  const number = text.endsWith('%') ? text.slice(0, -1) : text;
  if (!GO_FLOAT.test(number)) return undefined;
  const value = Number(number);
  if (!Number.isFinite(value)) return undefined;
  // Go: percentageValue(f * 100000) / 100, both conversions truncating toward zero.
  return Math.trunc(Math.trunc(value * 100_000) / 100);
}

/** `12500` → `"12.500%"`, as Traefik prints percentages in its messages. */
export function formatPercentage(value: number): string {
  return `${(value / 1000).toFixed(3)}%`;
}

export type ParsedWeights = { readonly ok: true; readonly weights: ReadonlyMap<string, number> } | { readonly ok: false; readonly error: string };

/** The annotation's YAML map `service: percentage`; an empty annotation gives no fixed weights. */
export function parseServiceWeights(value: string): ParsedWeights {
  const yaml = parseYamlBlock(value);
  if (!yaml.ok) return { ok: false, error: `invalid YAML: ${yaml.error}` };
  if (yaml.value === undefined || yaml.value === null) return { ok: true, weights: new Map() };
  if (typeof yaml.value !== 'object' || Array.isArray(yaml.value)) return { ok: false, error: 'must be a YAML map of service: percentage' };
  const weights = new Map<string, number>();
  for (const [service, raw] of Object.entries(yaml.value)) {
    const text = typeof raw === 'number' || typeof raw === 'string' ? String(raw) : '';
    const percentage = parsePercentage(text);
    if (percentage === undefined) return { ok: false, error: `invalid percentage value ${JSON.stringify(text)} for service ${JSON.stringify(service)}` };
    if (percentage < 0) return { ok: false, error: `negative percentage ${JSON.stringify(text)} for service ${JSON.stringify(service)}` };
    weights.set(service, percentage);
  }
  return { ok: true, weights };
}

/** One backend of a (host, path) group, in the order the Ingress lists it. */
export interface GroupMember {
  readonly service: string;
  /** Ready endpoints of the Service port the path uses. */
  readonly instances: number;
}

export type Allocation =
  | { readonly ok: true; readonly members: readonly { readonly service: string; readonly perInstance: number }[] }
  | { readonly ok: false; readonly error: string };

/**
 * The weight of each instance of each member. Errors as in Traefik: the
 * listed shares exceed 100 %, or stay below 100 % with no omitted member to
 * take the rest.
 */
export function allocateWeights(members: readonly GroupMember[], weights: ReadonlyMap<string, number>): Allocation {
  let remainder = WHOLE;
  const fixed = new Map<string, number>();
  const omitted: GroupMember[] = [];
  for (const member of members) {
    const share = weights.get(member.service);
    if (share === undefined) {
      omitted.push(member);
      continue;
    }
    fixed.set(member.service, perInstance(share, member.instances));
    remainder -= share;
    if (remainder < 0) return { ok: false, error: `percentage value ${formatPercentage(WHOLE - remainder)} must not exceed 100%` };
  }
  if (omitted.length === 0 && remainder > 0) {
    return { ok: false, error: `weights sum up to ${formatPercentage(WHOLE - remainder)}, not 100%, and no service is left to take the rest` };
  }
  const omittedEach = perInstance(remainder, omitted.reduce((sum, member) => sum + member.instances, 0));
  return { ok: true, members: members.map((member) => ({ service: member.service, perInstance: fixed.get(member.service) ?? omittedEach })) };
}

function perInstance(share: number, instances: number): number {
  return instances === 0 ? 0 : Math.trunc(share / instances);
}
