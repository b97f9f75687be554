/**
 * Request smuggling and normalisation through `edgress dev` (raw sockets):
 * every odd request either routes exactly as its normalised form does (same
 * pod, same path, same status) or is refused with a 4xx before any pod sees
 * it; none reaches a route it should not. The cluster is the access suite's
 * (./harness/access-cluster.ts): basic.example.com/admin is protected (admin
 * pod), basic.example.com/ is open (www pod).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizePath } from '../../src/match/normalize.ts';
import { basicAuthorization, PASSWORDS } from '../fixtures/auth/credentials.ts';
import { startAccessCluster, type AccessCluster } from './harness/access-cluster.ts';
import { rawRequest, type RawReply } from './harness/raw-http.ts';
import { head, rawExchange } from './harness/raw-exchange.ts';

let c: AccessCluster;

beforeAll(async () => {
  c = await startAccessCluster();
});
afterAll(() => c?.close());

const CREDENTIALS = `Authorization: ${basicAuthorization('apr1-user', PASSWORDS['apr1-user'])}`;

interface Observed {
  readonly status: number;
  /** `pod path` of every request a pod saw meanwhile. */
  readonly seen: string[];
}

async function observe(send: () => Promise<{ status: number }>): Promise<Observed> {
  const [admin, www] = [c.admin.seen.length, c.www.seen.length];
  const { status } = await send();
  const seen = [...c.admin.seen.slice(admin).map((s) => `admin ${s.url}`), ...c.www.seen.slice(www).map((s) => `www ${s.url}`)];
  return { status, seen };
}

const raw = (target: string, extra: readonly string[] = [], host = 'basic.example.com'): Promise<RawReply> =>
  rawRequest(c.dev.url, [`GET ${target} HTTP/1.1`, `Host: ${host}`, ...extra]);

/** The target as the edge normalises it (WHATWG parsing, then `normalizePath`); null when the edge must refuse it. */
function normalised(target: string): { upstream: string; match: string } | null {
  const url = new URL(`http://basic.example.com${target}`);
  const path = normalizePath(url.pathname);
  return path ? { upstream: path.upstream + url.search, match: path.match + url.search } : null;
}

/**
 * Sends `target` raw: either a 4xx that no pod saw, or the status and pod
 * of a plain request for the path it is matched as, with the pod getting
 * the normalised path. Never the admin pod without credentials.
 */
async function routesAsNormalised(target: string, extra: readonly string[] = []): Promise<Observed> {
  const odd = await observe(() => raw(target, extra));
  if (!extra.includes(CREDENTIALS)) expect(odd.seen.filter((s) => s.startsWith('admin')), target).toEqual([]);
  if (odd.status >= 400 && odd.status < 500 && odd.seen.length === 0) return odd;
  const form = normalised(target);
  expect(form, `${target} reached a pod (${odd.status}) though the edge should refuse it`).not.toBeNull();
  const plain = await observe(() => raw(form!.match, extra));
  const pods = (o: Observed) => o.seen.map((s) => s.split(' ')[0]);
  expect({ status: odd.status, pods: pods(odd) }, target).toEqual({ status: plain.status, pods: pods(plain) });
  expect(odd.seen.map((s) => s.slice(s.indexOf(' ') + 1)), target).toEqual(odd.seen.length > 0 ? [form!.upstream] : []);
  return odd;
}

const ODD_PATHS = [
  // encoded slashes and dots, double slashes
  '/admin', '//admin', '///admin//x', '/./admin', '/x/../admin', '/%2e/admin', '/%2e%2e/admin', '/.%2e/admin', '/%2E%2E%2Fadmin',
  '/admin%2F', '/admin%2fsecret', '/%2Fadmin', '/%5Cadmin', '/x/..%2Fadmin', '/x/%2e%2e%2fadmin', '/admin/%2e%2e/x', '/admin%252F',
  '/%2561dmin', '/adm%69n', '/%61%64%6D%69%6E/x', '/admin/..', '/admin/.', '/admin?x=/../', '/admin#frag', '/%3Fadmin',
  // overlong and invalid UTF-8
  '/%C0%AFadmin', '/%C0%AE%C0%AE/admin', '/%E0%80%AFadmin', '/%C0%80admin', '/%FF/admin', '/%ED%A0%80/admin', '/adm%C4%B1n',
  // elements that other servers read differently
  '/admin;jsessionid=1', '/admin;/x', '/admin%3B', '/admin%00', '/admin%20', '/admin%09', '/admin%0D%0AX-Injected:%201', '/ADMIN',
  '/admin\\..\\x', '/\\admin', '/admin\\', '/%5C/admin',
];

describe('odd paths route as their normalised form, or get a 4xx', () => {
  it.each(ODD_PATHS)('%s without credentials', async (target) => {
    await routesAsNormalised(target);
  });

  it.each(ODD_PATHS)('%s with credentials', async (target) => {
    await routesAsNormalised(target, [CREDENTIALS]);
  });

  it('raw non-ASCII bytes in the request line are refused or routed as their percent-encoded form', async () => {
    const reply = await observe(() => rawExchange(c.dev.url, Buffer.from('GET /adm\xc3\xadn HTTP/1.1\r\nHost: basic.example.com\r\nConnection: close\r\n\r\n', 'latin1')).then((r) => ({ status: r.statuses[0] ?? 0 })));
    if (reply.status >= 400 && reply.status < 500) expect(reply.seen).toEqual([]);
    else expect(reply.seen).toEqual(['www /adm%C3%ADn']);
  });
});

describe('hosts', () => {
  it.each(['BASIC.EXAMPLE.COM', 'basic.example.com.', 'basic.example.com:8787', 'Basic.Example.Com.:80', 'basic.example.com:'])(
    'Host %s is basic.example.com',
    async (host) => {
      const odd = await observe(() => raw('/admin', [], host));
      expect(odd).toEqual({ status: 401, seen: [] });
      const open = await observe(() => raw('/x', [], host));
      expect(open).toEqual({ status: 200, seen: ['www /x'] });
    },
  );

  it.each([
    ['two Host headers', ['GET /admin HTTP/1.1', 'Host: www.example.com', 'Host: basic.example.com']],
    ['no Host header', ['GET /admin HTTP/1.1']],
    ['a Host with a path', ['GET /x HTTP/1.1', 'Host: basic.example.com/admin']],
    ['a Host with user info', ['GET /x HTTP/1.1', 'Host: user@basic.example.com']],
    ['a Host list', ['GET /x HTTP/1.1', 'Host: www.example.com, basic.example.com']],
    ['a Host with spaces inside', ['GET /x HTTP/1.1', 'Host: basic.example .com']],
  ])('%s is a 400', async (_, lines) => {
    const reply = await observe(() => rawRequest(c.dev.url, lines));
    expect(reply).toEqual({ status: 400, seen: [] });
  });
});

describe('request targets other than origin-form', () => {
  it.each([
    ['http://basic.example.com/admin', 'www.example.com', 'basic.example.com', '/admin'],
    ['http://basic.example.com//%61dmin', 'other.example.com', 'basic.example.com', '//%61dmin'],
    ['HTTP://BASIC.EXAMPLE.COM/x?q=1', 'www.example.com', 'basic.example.com', '/x?q=1'],
    ['http://basic.example.com:8787/x', 'basic.example.com', 'basic.example.com:8787', '/x'],
    ['http://www.example.com/admin', 'basic.example.com', 'www.example.com', '/admin'],
  ])('absolute-form %s (Host: %s) is the request for its own authority', async (target, host, authority, path) => {
    const odd = await observe(() => rawRequest(c.dev.url, [`GET ${target} HTTP/1.1`, `Host: ${host}`]));
    const plain = await observe(() => rawRequest(c.dev.url, [`GET ${path} HTTP/1.1`, `Host: ${authority}`]));
    expect(odd).toEqual(plain);
    expect(odd.seen.filter((s) => s.startsWith('admin'))).toEqual([]);
  });

  it.each([
    ['asterisk-form', 'OPTIONS * HTTP/1.1'],
    ['authority-form', 'CONNECT basic.example.com:443 HTTP/1.1'],
    ['an absolute-form with user info', 'GET http://u:p@basic.example.com/admin HTTP/1.1'],
    ['an absolute-form of another scheme', 'GET ftp://basic.example.com/admin HTTP/1.1'],
    ['a relative target', 'GET admin HTTP/1.1'],
  ])('%s is a 400', async (_, line) => {
    expect(await observe(() => rawRequest(c.dev.url, [line, 'Host: basic.example.com']))).toEqual({ status: 400, seen: [] });
  });
});

describe('conflicting message framing', () => {
  /** A POST whose body hides a second request for /admin, in the framing given. */
  const smuggle = (framing: readonly string[], body: string) =>
    head(['POST /upload HTTP/1.1', 'Host: basic.example.com', ...framing]) + body;
  const hidden = head(['GET /admin HTTP/1.1', 'Host: basic.example.com', CREDENTIALS.replace(/Authorization: Basic .*/, 'Authorization: Basic eDp4')]);

  it.each([
    ['Content-Length and Transfer-Encoding', ['Content-Length: 4', 'Transfer-Encoding: chunked'], `0\r\n\r\n${hidden}`],
    ['Transfer-Encoding and Content-Length', ['Transfer-Encoding: chunked', 'Content-Length: 60'], `0\r\n\r\n${hidden}`],
    ['two Content-Lengths', ['Content-Length: 0', 'Content-Length: 60'], hidden],
    ['a Content-Length list', ['Content-Length: 0, 60'], hidden],
    ['a signed Content-Length', ['Content-Length: +0'], hidden],
    ['Transfer-Encoding: chunked twice', ['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked'], `0\r\n\r\n${hidden}`],
    ['Transfer-Encoding: identity, chunked', ['Transfer-Encoding: identity, chunked'], `0\r\n\r\n${hidden}`],
    ['Transfer-Encoding: xchunked', ['Transfer-Encoding: xchunked'], `0\r\n\r\n${hidden}`],
    ['Transfer-Encoding with a space before the colon', ['Transfer-Encoding : chunked', 'Content-Length: 4'], `0\r\n\r\n${hidden}`],
    ['an obs-folded Transfer-Encoding', ['X-A: 1', ' Transfer-Encoding: chunked', 'Content-Length: 4'], `0\r\n\r\n${hidden}`],
    ['a malformed chunk size', ['Transfer-Encoding: chunked'], `0x0\r\n\r\n${hidden}`],
    ['a chunk extension hiding a size', ['Transfer-Encoding: chunked'], `0;x=1\r\n5\r\n\r\n${hidden}`],
    ['a bare LF in the head', ['X-A: 1\nTransfer-Encoding: chunked', 'Content-Length: 4'], `0\r\n\r\n${hidden}`],
  ])('%s: refused, and the hidden request never runs', async (_, framing, body) => {
    const before = c.admin.seen.length;
    const exchange = await rawExchange(c.dev.url, smuggle(framing, body));
    expect(c.admin.seen.length).toBe(before);
    // The hidden request must not have been answered as a request of its own.
    expect(exchange.statuses.filter((status) => status === 401)).toEqual([]);
    expect(exchange.statuses[0] ?? 400).toBeGreaterThanOrEqual(400);
    expect(exchange.statuses[0] ?? 400).toBeLessThan(500);
  });

  it('a well-framed pipelined second request is answered as itself (401), in order', async () => {
    const before = c.admin.seen.length;
    const exchange = await rawExchange(c.dev.url, smuggle(['Content-Length: 5'], 'hello') + hidden);
    expect(exchange.statuses).toEqual([200, 401]);
    expect(c.admin.seen.length).toBe(before);
  });
});

describe('oversized requests', () => {
  it('a URL over 16 KB is refused with a 4xx', async () => {
    const reply = await observe(() => raw(`/admin/${'a'.repeat(17 * 1024)}`));
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(reply.seen).toEqual([]);
  });

  it('headers over 16 KB are refused with 431', async () => {
    const reply = await observe(() => raw('/x', [`X-Big: ${'a'.repeat(17 * 1024)}`]));
    expect(reply).toEqual({ status: 431, seen: [] });
  });

  it('thousands of small headers are refused with 431', async () => {
    const reply = await observe(() => raw('/x', Array.from({ length: 3000 }, (_, i) => `X-${i}: 1`)));
    expect(reply).toEqual({ status: 431, seen: [] });
  });
});

describe('headers the edge owns, in spellings some servers conflate', () => {
  it('never reach the pod with underscores for dashes', async () => {
    const names = ['X_Forwarded_For', 'X_Real_IP', 'X_Forwarded_Host', 'X_Forwarded_Proto', 'x_forwarded_for', 'CF_Connecting_IP', 'True_Client_IP', 'X_Edgress_Endpoint', 'X-Forwarded_For'];
    const before = c.www.seen.length;
    const reply = await raw('/x', names.map((name) => `${name}: 6.6.6.6`));
    expect(reply.status).toBe(200);
    const headers = c.www.seen.slice(before)[0]?.headers ?? {};
    expect(Object.entries(headers).filter(([, value]) => String(value).includes('6.6.6.6'))).toEqual([]);
  });
});

// SECURITY.md finding 2: a framing header named in Connection must not be dropped (the body would
// then reach workerd unframed and be read as a request the front never checked).
describe('framing headers named in Connection', () => {
  /** A request for office.example.com (allow-list 127.0.0.9, ::1) that believes its forged client address and certificate. */
  const hidden = head([
    'GET /smuggled HTTP/1.1', 'Host: office.example.com', 'CF-Connecting-IP: 127.0.0.9', 'Content-Length: 0',
    `MF-CF-Blob: ${JSON.stringify({ clientIp: '127.0.0.9', tlsClientAuth: { certPresented: '1', certVerified: 'SUCCESS', certSubjectDN: 'CN=admin' } })}`,
  ]);

  const cases: [string, string[], string][] = [];
  for (const method of ['GET', 'DELETE', 'HEAD', 'OPTIONS', 'POST']) {
    for (const connection of ['content-length', 'Content-Length', 'keep-alive, content-length', 'close, content-length']) {
      cases.push([`${method} with Connection: ${connection}`, [`${method} /x HTTP/1.1`, 'Host: basic.example.com', `Content-Length: ${hidden.length}`, `Connection: ${connection}`], hidden]);
    }
    const chunked = `${hidden.length.toString(16)}\r\n${hidden}\r\n0\r\n\r\n`;
    cases.push([`${method} chunked with Connection: transfer-encoding`, [`${method} /x HTTP/1.1`, 'Host: basic.example.com', 'Transfer-Encoding: chunked', 'Connection: transfer-encoding'], chunked]);
    cases.push([`${method} with Connection: host`, [`${method} /x HTTP/1.1`, 'Host: basic.example.com', `Content-Length: ${hidden.length}`, 'Connection: host'], hidden]);
  }

  it.each(cases)('%s: refused with 400, and the hidden request never runs', async (_, lines, body) => {
    const [admin, www] = [c.admin.seen.length, c.www.seen.length];
    const exchange = await rawExchange(c.dev.url, head(lines) + body);
    expect(exchange.statuses).toEqual([400]);
    // A second connection right after: it must not be answered for the first one's hidden bytes.
    const next = await rawExchange(c.dev.url, head(['GET /after HTTP/1.1', 'Host: basic.example.com', 'Connection: close']));
    expect(next.statuses).toEqual([200]);
    expect(c.admin.seen.slice(admin)).toEqual([]);
    expect(c.www.seen.slice(www).map((seen) => seen.url)).toEqual(['/after']);
  });

  it.each([
    ['Connection: Upgrade, content-length', ['Connection: Upgrade, content-length'], 400],
    ['Connection: Upgrade and a Content-Length', ['Connection: Upgrade'], undefined],
  ])('a WebSocket upgrade with %s never turns its bytes into a request', async (_, connection, status) => {
    const [admin, www] = [c.admin.seen.length, c.www.seen.length];
    const upgrade = ['GET /x HTTP/1.1', 'Host: basic.example.com', 'Upgrade: websocket', ...connection, 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', `Content-Length: ${hidden.length}`];
    const exchange = await rawExchange(c.dev.url, head(upgrade) + hidden);
    if (status !== undefined) expect(exchange.statuses).toEqual([status]);
    expect(exchange.statuses).toHaveLength(1);
    expect(c.admin.seen.slice(admin)).toEqual([]);
    expect(c.www.seen.slice(www).map((seen) => seen.url)).not.toContain('/smuggled');
  });

  it('other headers named in Connection are still dropped, and the request is served', async () => {
    const before = c.www.seen.length;
    const exchange = await rawExchange(c.dev.url, head(['GET /x HTTP/1.1', 'Host: basic.example.com', 'X-Hop: 1', 'Connection: close, x-hop']));
    expect(exchange.statuses).toEqual([200]);
    expect(c.www.seen.slice(before)[0]?.headers['x-hop']).toBeUndefined();
  });
});

describe('bodies on methods that usually have none', () => {
  const hidden = head(['GET /smuggled HTTP/1.1', 'Host: office.example.com', 'CF-Connecting-IP: 127.0.0.9', 'Content-Length: 0']);

  it.each(['GET', 'DELETE', 'OPTIONS'])('%s with a body: the body reaches the pod as a body, never as a request', async (method) => {
    const [admin, www] = [c.admin.seen.length, c.www.seen.length];
    const exchange = await rawExchange(c.dev.url, head([`${method} /x HTTP/1.1`, 'Host: basic.example.com', `Content-Length: ${hidden.length}`, 'Connection: close']) + hidden);
    expect(exchange.statuses).toEqual([200]);
    expect(c.admin.seen.slice(admin)).toEqual([]);
    const seen = c.www.seen.slice(www);
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([[method, '/x', hidden]]);
  });

  it('HEAD with a body: answered once, the body never becomes a request', async () => {
    const [admin, www] = [c.admin.seen.length, c.www.seen.length];
    const exchange = await rawExchange(c.dev.url, head(['HEAD /x HTTP/1.1', 'Host: basic.example.com', `Content-Length: ${hidden.length}`, 'Connection: close']) + hidden);
    expect(exchange.statuses).toHaveLength(1);
    expect(c.admin.seen.slice(admin)).toEqual([]);
    expect(c.www.seen.slice(www).map((s) => s.url)).not.toContain('/smuggled');
  });

  it('pipelined requests of one client stay apart from another client’s', async () => {
    const [admin, www] = [c.admin.seen.length, c.www.seen.length];
    const first = head(['GET /one HTTP/1.1', 'Host: basic.example.com', 'Content-Length: 5']) + 'hello' + head(['GET /two HTTP/1.1', 'Host: basic.example.com', 'Connection: close']);
    const exchanges = await Promise.all([rawExchange(c.dev.url, first), rawExchange(c.dev.url, head(['GET /three HTTP/1.1', 'Host: basic.example.com', 'Connection: close']))]);
    expect(exchanges.map((e) => e.statuses)).toEqual([[200, 200], [200]]);
    expect(c.admin.seen.slice(admin)).toEqual([]);
    expect(c.www.seen.slice(www).map((s) => s.url).sort()).toEqual(['/one', '/three', '/two']);
  });
});

// SECURITY.md finding 5: odd but legal requests get one clean answer.
describe('odd requests', () => {
  it('POST with Expect: 100-continue gets 100, then the pod’s answer, and the pod runs it once', async () => {
    const before = c.www.seen.length;
    const exchange = await rawExchange(c.dev.url, head(['POST /expect HTTP/1.1', 'Host: basic.example.com', 'Content-Length: 5', 'Expect: 100-continue', 'Connection: close']) + 'hello');
    expect(exchange.statuses).toEqual([100, 200]);
    const seen = c.www.seen.slice(before);
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([['POST', '/expect', 'hello']]);
  });

  it.each(['name:70000', 'basic.example.com:65536', 'basic.example.com:99999', '.wild.example', 'a..wild.example', '[::1]:70000'])('Host %s is a 400', async (host) => {
    const [admin, www] = [c.admin.seen.length, c.www.seen.length];
    const reply = await raw('/x', [], host);
    expect(reply.status).toBe(400);
    expect([...c.admin.seen.slice(admin), ...c.www.seen.slice(www)]).toEqual([]);
  });

  it('a wildcard host matches one non-empty label', async () => {
    expect((await raw('/x', [], 'a.wild.example')).status).toBe(200);
    expect((await raw('/x', [], 'wild.example')).status).toBe(404);
    expect((await raw('/x', [], 'a.b.wild.example')).status).toBe(404);
  });
});
