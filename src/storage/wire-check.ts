/**
 * Checks a parsed stored shard against the wire form of `./wire.ts`.
 *
 * Why not zod here: a shard holds about a thousand route and pool tuples,
 * and zod needs 30–80 ms to check that many on a cold isolate (before V8 has
 * optimised its parsers) — several times the CPU the Workers Free plan gives
 * a whole request. This checker does the same structural checks in well under
 * a millisecond, in place, without copying. Middleware entries are only
 * checked to be objects with a `kind` here: the middleware check of
 * `../table/middleware-check.ts` checks each one when a route using it is first built
 * (`../match/shard-index.ts`), so hosts without middlewares never pay for it.
 *
 * @example
 * ```ts
 * const shard = checkWireShard(JSON.parse(text)); // undefined when malformed
 * ```
 */
import { HOST_PATTERN, MAX_HOST_LENGTH, MAX_RULE_PATH_LENGTH } from '../table/constants.ts';
import { DEFAULT_ENTRY, GROUP, MEMBER, POOL, ROUTE } from './wire-positions.ts';
import type { WireRouteTuple, WireShard } from './wire-schema.ts';

const PROTOCOLS = new Set(['http', 'https', 'h2c']);
const RULE_TYPES = new Set(['e', 'p', 's', 'r', 'f']);
const FLAGS = /^[hspugl]*$/;
const METHOD = /^[A-Z]{1,20}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
/** Limits of `RouterConditionsSchema`: conditions per kind, exact value, regex source, query name. */
const MAX_CONDITIONS = 16;
const MAX_CONDITION_VALUE = 4096;
const MAX_CONDITION_REGEX = 1000;
const MAX_QUERY_NAME = 256;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const PORT_LIST = /^\d{1,5}(\|[^|]+)+$/;

const isIndex = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isString = (value: unknown): value is string => typeof value === 'string';
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The shard, typed, when `value` has the wire form; undefined otherwise. */
export function checkWireShard(value: unknown): WireShard | undefined {
  if (!isRecord(value) || !isIndex(value['schema'])) return undefined;
  const { services, middlewares, groups } = value;
  if (!Array.isArray(services) || !services.every(isService)) return undefined;
  if (!Array.isArray(middlewares) || !middlewares.every((entry) => isRecord(entry) && isString(entry['kind']))) return undefined;
  if (!Array.isArray(groups) || !groups.every(isGroup)) return undefined;
  const fallback = value['default'];
  if (fallback !== undefined && !(Array.isArray(fallback) && fallback.length === 2 && isSource(fallback[DEFAULT_ENTRY.source]) && isRoute(fallback[DEFAULT_ENTRY.route]))) {
    return undefined;
  }
  return value as WireShard;
}

function isSource(value: unknown): value is string {
  return isString(value) && value.length > 0;
}

function isGroup(value: unknown): boolean {
  if (!Array.isArray(value) || value.length < GROUP.routes) return false;
  const host: unknown = value[GROUP.host];
  if (!isString(host) || host.length > MAX_HOST_LENGTH || !HOST_PATTERN.test(host) || !isSource(value[GROUP.source])) return false;
  for (let i = GROUP.routes; i < value.length; i++) if (!isRoute(value[i])) return false;
  return true;
}

function isRoute(value: unknown): value is WireRouteTuple {
  if (!Array.isArray(value) || value.length <= ROUTE.service || value.length > ROUTE.conditions + 1) return false;
  const id: unknown = value[ROUTE.id];
  const middlewares: unknown = value[ROUTE.middlewares];
  const priority: unknown = value[ROUTE.priority];
  const flags: unknown = value[ROUTE.flags];
  const conditions: unknown = value[ROUTE.conditions];
  if (!(isString(id) || isIndex(id)) || !isRule(value[ROUTE.rule]) || !isIndex(value[ROUTE.service])) return false;
  if (middlewares !== undefined && !isIndexList(middlewares)) return false;
  if (priority !== undefined && !isIndex(priority)) return false;
  if (flags !== undefined && !(isString(flags) && FLAGS.test(flags))) return false;
  return conditions === undefined || isConditions(conditions);
}

const isIndexList = (value: unknown): boolean => Array.isArray(value) && value.every(isIndex);

/** `RouterConditionsSchema` of `../table/schema.ts` (regexes are compiled, and checked, when the route is built). */
function isConditions(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const { method, headers, query, port } = value;
  if (method !== undefined && !(isString(method) && METHOD.test(method))) return false;
  if (port !== undefined && !(typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535)) return false;
  const listOk = (list: unknown, name: (n: unknown) => boolean, exactValue: (v: string) => boolean): boolean =>
    list === undefined ||
    (Array.isArray(list) &&
      list.length > 0 &&
      list.length <= MAX_CONDITIONS &&
      list.every((entry) => {
        if (!isRecord(entry) || !name(entry['name'])) return false;
        const value = entry['value'];
        if (!isString(value)) return false;
        if (entry['type'] === 'exact') return exactValue(value);
        return entry['type'] === 'regex' && value.length > 0 && value.length <= MAX_CONDITION_REGEX;
      }));
  return (
    listOk(headers, (n) => isString(n) && HEADER_NAME.test(n), (v) => v.length <= MAX_CONDITION_VALUE && HEADER_VALUE.test(v)) &&
    listOk(query, (n) => isString(n) && n.length > 0 && n.length <= MAX_QUERY_NAME, (v) => v.length <= MAX_CONDITION_VALUE)
  );
}

/** `a`, or a type letter followed by a path starting with `/`. */
function isRule(value: unknown): boolean {
  if (!isString(value)) return false;
  if (value === 'a') return true;
  return value.length >= 2 && value.length <= MAX_RULE_PATH_LENGTH + 1 && RULE_TYPES.has(value[0]!) && value[1] === '/';
}

function isService(value: unknown): boolean {
  if (isRecord(value)) {
    if ('status' in value) return (value['status'] === 404 || value['status'] === 500) && isString(value['reason']);
    const members = value['weighted'];
    const sticky = value['sticky'];
    const ok = Array.isArray(members) && members.length > 0 && members.every(isMember);
    return ok && (sticky === undefined || isSticky(sticky));
  }
  if (!Array.isArray(value) || value.length <= POOL.servers || value.length > POOL.extra + 1) return false;
  const target: unknown = value[POOL.target];
  const servers: unknown = value[POOL.servers];
  const protocol: unknown = value[POOL.protocol];
  const extra: unknown = value[POOL.extra];
  if (!isString(target) || !isServers(servers)) return false;
  if (protocol !== undefined && !(isString(protocol) && PROTOCOLS.has(protocol))) return false;
  if (extra === undefined) return true;
  if (!isRecord(extra) || !(extra['external'] === undefined || extra['external'] === true)) return false;
  return (extra['unavailable'] === undefined || isString(extra['unavailable'])) && (extra['balancer'] === undefined || isBalancer(extra['balancer']));
}

/** `[service, weight, middlewares?]`. */
function isMember(value: unknown): boolean {
  if (!Array.isArray(value) || value.length <= MEMBER.weight || value.length > MEMBER.middlewares + 1) return false;
  const middlewares: unknown = value[MEMBER.middlewares];
  return isIndex(value[MEMBER.service]) && isIndex(value[MEMBER.weight]) && (middlewares === undefined || (isIndexList(middlewares) && (middlewares as unknown[]).length > 0));
}

const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SAME_SITE = new Set(['none', 'lax', 'strict']);

/** `BalancerSchema` of `./traffic.ts`. */
function isBalancer(value: unknown): boolean {
  return isRecord(value) && (value['method'] === 'wrr' || value['method'] === 'drr') && (value['sticky'] === undefined || isSticky(value['sticky']));
}

/** `StickySchema` of `./traffic.ts`. */
function isSticky(value: unknown): boolean {
  if (!isRecord(value) || !isString(value['cookie']) || !COOKIE_NAME.test(value['cookie'])) return false;
  const sameSite = value['sameSite'];
  return typeof value['secure'] === 'boolean' && typeof value['httpOnly'] === 'boolean' && (sameSite === undefined || (isString(sameSite) && SAME_SITE.has(sameSite)));
}

function isServers(value: unknown): boolean {
  if (isString(value)) return PORT_LIST.test(value);
  return Array.isArray(value) && value.every((server) => isString(server) || (Array.isArray(server) && server.length === 2 && isString(server[0]) && isIndex(server[1])));
}
