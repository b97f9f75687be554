/**
 * Checks one stored middleware entry against the middleware kinds of
 * `./middleware.ts`, without zod: the worker checks each entry when a route
 * using it is first built (`../match/shard-index.ts`), and zod is about three
 * quarters of the worker's bundle and most of its start-up CPU. The compiler
 * keeps the zod schemas; `middleware-check.test.ts` holds this check to the
 * same answers as the zod union on every kind, valid and broken.
 *
 * Like zod's objects, unknown keys are allowed and an optional key may hold
 * `undefined`.
 *
 * @example
 * ```ts
 * middlewareProblem({ kind: 'strip-prefix', prefix: '/api' }); // undefined
 * middlewareProblem({ kind: 'strip-prefix', prefix: 'api' });  // 'prefix: …'
 * ```
 */
import { normalizeRange } from '../net/ip-range.ts';
import { passwordHashFormat } from './credentials.ts';
import { HTTP_MIDDLEWARE_LIMITS } from './http-constants.ts';
import type { MiddlewareKind } from './middleware.ts';

/** A check of one value: a short description of what is wrong with it, or undefined. */
type Check = (value: unknown) => string | undefined;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function string(options: { min?: number; max?: number; pattern?: RegExp; startsWith?: string; refine?: (value: string) => boolean } = {}): Check {
  return (value) => {
    if (typeof value !== 'string') return 'not a string';
    if (options.min !== undefined && value.length < options.min) return 'too short';
    if (options.max !== undefined && value.length > options.max) return 'too long';
    if (options.startsWith !== undefined && !value.startsWith(options.startsWith)) return `does not start with ${options.startsWith}`;
    if (options.pattern && !options.pattern.test(value)) return 'not of the expected form';
    if (options.refine && !options.refine(value)) return 'not of the expected form';
    return undefined;
  };
}

function integer(min: number, max = Number.MAX_SAFE_INTEGER): Check {
  return (value) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max ? undefined : `not a whole number from ${min}`);
}

const number: Check = (value) => (typeof value === 'number' && Number.isFinite(value) ? undefined : 'not a number');
const boolean: Check = (value) => (typeof value === 'boolean' ? undefined : 'not a boolean');

function oneOf(...values: readonly unknown[]): Check {
  return (value) => (values.includes(value) ? undefined : `not one of ${values.join(', ')}`);
}

function optional(check: Check): Check {
  return (value) => (value === undefined ? undefined : check(value));
}

function array(item: Check, min = 0, max = Number.POSITIVE_INFINITY): Check {
  return (value) => {
    if (!Array.isArray(value)) return 'not an array';
    if (value.length < min || value.length > max) return `not ${min} to ${max} items`;
    for (let index = 0; index < value.length; index++) {
      const problem = item(value[index]);
      if (problem) return `[${index}]: ${problem}`;
    }
    return undefined;
  };
}

function tuple(...items: readonly Check[]): Check {
  return (value) => {
    if (!Array.isArray(value) || value.length !== items.length) return `not a tuple of ${items.length}`;
    for (let index = 0; index < items.length; index++) {
      const problem = items[index]!(value[index]);
      if (problem) return `[${index}]: ${problem}`;
    }
    return undefined;
  };
}

function object(fields: Readonly<Record<string, Check>>): Check {
  return (value) => {
    if (!isRecord(value)) return 'not an object';
    for (const name in fields) {
      const problem = fields[name]!(value[name]);
      if (problem) return `${name}: ${problem}`;
    }
    return undefined;
  };
}

/** Objects told apart by one literal field (zod's discriminated union). */
function union(tag: string, variants: Readonly<Record<string, Check>>): Check {
  return (value) => {
    if (!isRecord(value)) return 'not an object';
    const name = value[tag];
    const variant = typeof name === 'string' && Object.hasOwn(variants, name) ? variants[name] : undefined;
    return variant ? variant(value) : `${tag}: not one of ${Object.keys(variants).join(', ')}`;
  };
}

/** `z.url({ protocol: /^https?$/ })`: an absolute http(s) URL once trimmed. */
const httpUrl: Check = (value) => {
  if (typeof value !== 'string') return 'not a string';
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed)) return 'not an http(s) URL';
  const url = URL.parse(trimmed);
  return url && /^https?$/.test(url.protocol.slice(0, -1)) ? undefined : 'not an http(s) URL';
};

const headerName = string({ pattern: TOKEN });
const headerValue = string({ pattern: /^[\t\x20-\x7e\x80-\xff]*$/ });
const headerPair = tuple(headerName, headerValue);
const path = string({ startsWith: '/' });
const regex = object({ source: string({ min: 1, max: HTTP_MIDDLEWARE_LIMITS.regexSource }), flags: string({ pattern: /^i?m?s?$/ }) });
const replacementPart: Check = (value) => (typeof value === 'string' ? undefined : integer(0, HTTP_MIDDLEWARE_LIMITS.group)(value));
const replacement = array(replacementPart);
const user = string({ min: 1, max: 256, pattern: /^[^\x00-\x1f\x7f:]+$/ });
const credentialOptions = { secret: string({ min: 3 }), removeHeader: boolean, headerField: optional(headerName) };
const headerEdits = object({ set: array(headerPair), remove: array(headerName) });
const dnFields = array(oneOf('DC', 'C', 'ST', 'L', 'O', 'SN', 'CN'));

const extractor = union('type', {
  'client.ip': object({}),
  'request.host': object({}),
  'request.header': object({ name: string({ pattern: TOKEN }) }),
});
const metricValue = union('type', {
  number: object({ value: number }),
  metric: object({ fn: oneOf('NetworkErrorRatio', 'ResponseCodeRatio', 'LatencyAtQuantileMS', 'Attempts', 'ResponseCode'), args: array(number, 0, 4) }),
});
const predicate: Check = (value) => predicateVariants(value);
const predicateVariants = union('type', {
  and: object({ left: predicate, right: predicate }),
  or: object({ left: predicate, right: predicate }),
  not: object({ operand: predicate }),
  compare: object({ op: oneOf('<', '<=', '>', '>=', '==', '!='), left: metricValue, right: metricValue }),
  flag: object({ fn: oneOf('IsNetworkError') }),
});
const expression = object({ source: string(), predicate });
const bytes = integer(0);

const status = integer(100, 599);
const redirectStatus = oneOf(301, 302, 303, 307, 308);
/** A path, or `''` (an empty replacement prefix removes the prefix). */
const replacementPrefix = string({ max: 1024, pattern: /^(\/.*)?$/ });

function between(min: number, max: number): Check {
  return (value) => (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? undefined : `not a number from ${min} to ${max}`);
}

/** One check per kind: a kind without one does not type-check. */
const KINDS: { readonly [K in MiddlewareKind]: Check } = {
  deny: object({ status: oneOf(403, 404, 503), reason: string() }),
  'strip-prefix': object({ prefix: path }),
  'replace-path': object({ path }),
  'ip-allow-list': object({
    deny: optional(oneOf(true)),
    ranges: array(string({ refine: (range) => normalizeRange(range) === range }), 1),
    useXForwardedFor: boolean,
  }),
  'basic-auth': object({
    ...credentialOptions,
    realm: optional(string({ max: 256, pattern: /^[^"\\\x00-\x1f\x7f]*$/ })),
    users: array(object({ user, hash: string({ refine: (hash) => passwordHashFormat(hash) !== undefined }) }), 1),
  }),
  'digest-auth': object({ ...credentialOptions, users: array(object({ user, ha1: string({ pattern: /^[0-9a-f]{32}$/ }) }), 1) }),
  'forward-auth': object({
    address: httpUrl,
    trustForwardHeader: boolean,
    responseHeaders: array(headerName),
    tlsBinding: optional(string({ pattern: /^[A-Z][A-Z0-9_]*$/ })),
    nginx: optional(
      object({
        url: replacement,
        method: optional(string({ pattern: /^[A-Z]{1,20}$/ })),
        signin: optional(replacement),
        signinParam: string({ pattern: /^[A-Za-z0-9_.-]{1,64}$/ }),
        requestRedirect: optional(replacement),
      }),
    ),
  }),
  'circuit-breaker': object({ condition: expression }),
  buffering: object({
    maxRequestBodyBytes: bytes,
    memRequestBodyBytes: bytes,
    maxResponseBodyBytes: bytes,
    memResponseBodyBytes: bytes,
    retry: optional(expression),
  }),
  'max-conn': object({ amount: integer(1), extractor }),
  'rate-limit': object({
    extractor,
    rates: array(object({ periodMs: integer(1), average: integer(1), burst: integer(1) }), 1, 16),
    status: optional(oneOf(503)),
    exempt: optional(array(string({ min: 3 }))),
  }),
  'add-prefix': object({ prefix: path }),
  'replace-path-regex': object({ regex, replacement }),
  'error-pages': object({
    pages: array(
      object({
        name: string(),
        statuses: array(tuple(status, status), 1),
        service: string({ min: 1 }),
        path,
        nginx: optional(object({ namespace: string({ min: 1 }), ingress: string({ min: 1 }) })),
      }),
      1,
      HTTP_MIDDLEWARE_LIMITS.errorPages,
    ),
  }),
  redirect: object({
    permanent: boolean,
    status: optional(redirectStatus),
    to: union('type', {
      'app-root': object({ path }),
      scheme: object({ scheme: oneOf('http', 'https'), port: integer(1, 65535) }),
      regex: object({ regex, replacement }),
    }),
  }),
  'custom-headers': object({ request: headerEdits, response: headerEdits }),
  'security-headers': object({
    hostHeaders: array(headerName),
    allowedHosts: optional(array(string())),
    sslProxyHeaders: array(headerPair),
    sslRedirect: boolean,
    sslForceHost: boolean,
    sslHost: optional(string()),
    sslRedirectStatus: oneOf(301, 307),
    responseHeaders: array(headerPair),
    secureResponseHeaders: array(headerPair),
  }),
  'pass-tls-client-cert': object({
    pem: boolean,
    infos: object({ notBefore: boolean, notAfter: boolean, sans: boolean, subject: dnFields, issuer: dnFields }),
  }),
  cors: object({
    origins: array(string({ pattern: /^(\*|https?:\/\/(\*\.)?[a-z0-9.-]+(:[0-9]{1,5})?)$/ }), 1),
    methods: headerValue,
    headers: headerValue,
    exposeHeaders: optional(headerValue),
    credentials: boolean,
    maxAge: integer(0),
  }),
  canary: object({
    service: string({ min: 1 }),
    header: optional(headerName),
    headerValue: optional(string({ max: 1024 })),
    headerPattern: optional(regex),
    cookie: optional(string({ pattern: /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}$/ })),
    weight: integer(0),
    total: integer(100),
  }),
  'upstream-host': object({ host: string({ max: 300, pattern: /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$/ }) }),
  'upstream-timeout': object({ ms: integer(1, 100_000) }),
  // Gateway API filters: ./gateway-middleware.ts
  'header-modifier': object({ phase: oneOf('request', 'response'), set: array(headerPair), add: array(headerPair), remove: array(headerName) }),
  'gateway-redirect': object({
    scheme: optional(oneOf('http', 'https')),
    hostname: optional(string({ max: 253, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/ })),
    port: optional(integer(1, 65535)),
    path: optional(
      union('type', {
        full: object({ value: string({ startsWith: '/', max: 1024 }) }),
        prefix: object({ prefix: string({ startsWith: '/', max: 1024 }), value: replacementPrefix }),
      }),
    ),
    status: redirectStatus,
  }),
  'replace-prefix': object({ prefix: string({ startsWith: '/', max: 1024 }), value: replacementPrefix }),
  'request-mirror': object({ service: string({ min: 1 }), percent: optional(between(0, 100)) }),
};

const middleware = union('kind', KINDS);

/** What is wrong with a stored middleware entry, or undefined when it is one of the table's kinds. */
export function middlewareProblem(value: unknown): string | undefined {
  return middleware(value);
}
