/**
 * The soak's mixed workload: what each request asks for, and what makes its
 * answer right for the tables that may have been in force while it ran
 * (`allowed`, oldest first). A pod's answer names the generation that
 * served it; an edge answer (401, 404, a redirect) is right when some
 * allowed generation gives it.
 */
import type { EchoReply } from '../e2e/harness/pods.ts';
import { AUTH, EXTRA_HOSTS, GENERATION_HEADER, type Generation } from './scenario.ts';

export interface SoakRequest {
  readonly kind: string;
  readonly host: string;
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface SoakReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Why the reply is wrong, or undefined. */
export type Check = (reply: SoakReply, allowed: readonly Generation[]) => string | undefined;

interface Kind {
  readonly name: string;
  readonly weight: number;
  build(random: () => number): Omit<SoakRequest, 'kind'>;
  readonly check: (request: Omit<SoakRequest, 'kind'>) => Check;
}

const BASIC = `Basic ${Buffer.from(`${AUTH.user}:${AUTH.password}`).toString('base64')}`;
const get = (host: string, path: string, headers: Record<string, string> = {}) => ({ host, path, method: 'GET', headers });

/** The pod reply and the generation that served it, or why there is none among `allowed`. */
function fromPod(reply: SoakReply, allowed: readonly Generation[]): { echo: EchoReply; generation: Generation } | string {
  if (reply.status !== 200) return `status ${reply.status}, expected 200 from a pod`;
  const number = Number(reply.headers[GENERATION_HEADER]);
  const generation = allowed.find((g) => g.number === number);
  if (!generation) return `served by generation ${reply.headers[GENERATION_HEADER]}, expected one of ${allowed.map((g) => g.number).join(',')}`;
  return { echo: JSON.parse(reply.body) as EchoReply, generation };
}

/**
 * An api pod some allowed generation's EndpointSlice lists. Slices and
 * Ingresses reach the agent on separate watches, so the generation named by
 * the reply's Ingress need not be the one whose slice routed it.
 */
function listedPod(name: string, allowed: readonly Generation[]): string | undefined {
  return allowed.some((generation) => generation.apiPods.has(name)) ? undefined : `answered by ${name}, which no allowed generation lists (${allowed.map((g) => `${g.number}: ${[...g.apiPods].join('+')}`).join(', ')})`;
}

const KINDS: readonly Kind[] = [
  {
    name: 'app',
    weight: 5,
    build: (random) => get('app.example.com', `/page/${Math.floor(random() * 1000)}`),
    check: () => (reply, allowed) => {
      const pod = fromPod(reply, allowed);
      if (typeof pod === 'string') return pod;
      return pod.echo.service === pod.generation.app ? undefined : `app answered by ${pod.echo.service}, generation ${pod.generation.number} sends it to ${pod.generation.app}`;
    },
  },
  {
    name: 'api-get',
    weight: 3,
    build: (random) => get('api.example.com', `/v1/items/${Math.floor(random() * 1000)}?page=2`),
    check: (request) => (reply, allowed) => {
      const pod = fromPod(reply, allowed);
      if (typeof pod === 'string') return pod;
      const expected = request.path.slice('/v1'.length);
      if (pod.echo.service !== 'api' || pod.echo.url !== expected) return `api got ${pod.echo.service} ${pod.echo.url}, expected api ${expected}`;
      return listedPod(pod.echo.pod, allowed);
    },
  },
  {
    name: 'api-post',
    weight: 2,
    build: (random) => ({ host: 'api.example.com', path: '/v1/orders', method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(Math.floor(random() * 4096)) }),
    check: (request) => (reply, allowed) => {
      const pod = fromPod(reply, allowed);
      if (typeof pod === 'string') return pod;
      if (pod.echo.method !== 'POST' || pod.echo.body.length !== (request.body ?? '').length) return `POST body of ${pod.echo.body.length} bytes reached the pod, sent ${(request.body ?? '').length}`;
      return listedPod(pod.echo.pod, allowed);
    },
  },
  {
    name: 'extra',
    weight: 3,
    build: (random) => get(`extra-${Math.floor(random() * EXTRA_HOSTS)}.example.com`, '/'),
    check: (request) => (reply, allowed) => {
      const k = Number(/^extra-(\d+)/.exec(request.host)?.[1]);
      if (reply.status === 404) return allowed.some((g) => !g.extras.has(k)) ? undefined : `404 for extra-${k}, which every allowed generation serves`;
      const pod = fromPod(reply, allowed);
      if (typeof pod === 'string') return pod;
      return pod.generation.extras.has(k) && pod.echo.service === 'static' ? undefined : `extra-${k} served by generation ${pod.generation.number}, which has no such route`;
    },
  },
  {
    name: 'redirect',
    weight: 1,
    build: (random) => get('secure.example.com', `/p/${Math.floor(random() * 100)}?q=1`),
    check: (request) => (reply) => {
      const expected = `https://secure.example.com${request.path}`;
      return reply.status >= 301 && reply.status <= 308 && reply.headers['location'] === expected ? undefined : `${reply.status} to ${String(reply.headers['location'])}, expected a redirect to ${expected}`;
    },
  },
  {
    name: 'auth-ok',
    weight: 1,
    build: () => get('auth.example.com', '/private', { authorization: BASIC }),
    check: () => (reply, allowed) => {
      const pod = fromPod(reply, allowed);
      if (typeof pod === 'string') return pod;
      return pod.echo.service === 'static' && pod.echo.url === '/private' ? undefined : `authorized request reached ${pod.echo.service} ${pod.echo.url}`;
    },
  },
  {
    name: 'auth-denied',
    weight: 1,
    build: () => get('auth.example.com', '/private', { authorization: 'Basic c29hazp3cm9uZw==' }),
    check: () => (reply) => (reply.status === 401 ? undefined : `status ${reply.status} for wrong credentials, expected 401`),
  },
  {
    name: 'unknown-host',
    weight: 1,
    build: () => get('nowhere.example.com', '/'),
    check: () => (reply) => (reply.status === 404 ? undefined : `status ${reply.status} for an unknown host, expected 404`),
  },
];

const TOTAL_WEIGHT = KINDS.reduce((sum, kind) => sum + kind.weight, 0);

/** A request of a kind drawn by weight, and the check of its reply. */
export function nextRequest(random: () => number): { request: SoakRequest; check: Check } {
  let roll = random() * TOTAL_WEIGHT;
  const kind = KINDS.find((candidate) => (roll -= candidate.weight) < 0) ?? (KINDS[0] as Kind);
  const request = kind.build(random);
  return { request: { kind: kind.name, ...request }, check: kind.check(request) };
}
