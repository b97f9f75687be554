/**
 * A forward-auth server for end-to-end tests, deciding by the bearer token
 * the client sent (forward auth passes the client's headers on):
 * - `Bearer good`: 200, with `X-Auth-User: alice`, `X-Forwarded-User: alice`
 *   and a header nobody asked for (`X-Unlisted`);
 * - `Bearer public-only`: 200 only when `X-Forwarded-Uri` starts with
 *   `/public` but not `/public/private`, and `X-Forwarded-Method` is GET (so
 *   a spoofed URI or method, or a URI that differs from the pod's path,
 *   would get in), else 403;
 * - `Bearer login`: 302 to the relative `/login?rd=<X-Forwarded-Uri>`;
 * - anything else: 401 `denied`, `WWW-Authenticate: Bearer realm="sso"`.
 * It records every request it answers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AuthRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface AuthServer {
  /** `http://ip:port/verify` */
  readonly url: string;
  readonly seen: AuthRequest[];
  close(): Promise<void>;
}

export async function startAuthServer(host: string): Promise<AuthServer> {
  const seen: AuthRequest[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    const token = req.headers.authorization ?? '';
    const uri = String(req.headers['x-forwarded-uri'] ?? '');
    if (token === 'Bearer good') {
      res.writeHead(200, { 'x-auth-user': 'alice', 'x-forwarded-user': 'alice', 'x-unlisted': 'leak' }).end('ok');
    } else if (token === 'Bearer public-only') {
      const allowed = uri.startsWith('/public') && !uri.startsWith('/public/private') && req.headers['x-forwarded-method'] === 'GET';
      res.writeHead(allowed ? 200 : 403, { 'x-auth-user': 'guest' }).end(allowed ? 'ok' : 'forbidden by auth server\n');
    } else if (token === 'Bearer login') {
      res.writeHead(302, { location: `/login?rd=${encodeURIComponent(uri)}` }).end();
    } else {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="sso"', 'content-type': 'text/plain' }).end('denied\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/verify`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
