/**
 * HTTP/2 cleartext with prior knowledge (`protocol: h2c`) for the dev relay:
 * one session per endpoint, reused across requests.
 *
 * @example
 * ```ts
 * forwardH2c({ protocol: 'h2c', hostname: '127.0.0.1', port: 50051 }, req, res, headers, failRequest);
 * ```
 */
import http from 'node:http';
import http2 from 'node:http2';
import type { Endpoint } from './relay.ts';

const sessions = new Map<string, http2.ClientHttp2Session>();

/** HTTP/1.1 connection-level headers, which HTTP/2 forbids. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'te']);

function session(endpoint: Endpoint): http2.ClientHttp2Session {
  const authority = `http://${endpoint.hostname.includes(':') ? `[${endpoint.hostname}]` : endpoint.hostname}:${endpoint.port}`;
  let current = sessions.get(authority);
  if (!current || current.closed || current.destroyed) {
    current = http2.connect(authority);
    current.on('error', () => sessions.delete(authority));
    current.on('close', () => sessions.delete(authority));
    current.unref();
    sessions.set(authority, current);
  }
  return current;
}

export function forwardH2c(
  endpoint: Endpoint,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  headers: http.OutgoingHttpHeaders,
  fail: (res: http.ServerResponse, error: Error) => void,
): void {
  const outgoing: http2.OutgoingHttpHeaders = {
    ':method': req.method ?? 'GET',
    ':path': req.url ?? '/',
    ':authority': req.headers.host ?? `${endpoint.hostname}:${endpoint.port}`,
  };
  for (const [name, value] of Object.entries(headers)) {
    if (!CONNECTION_HEADERS.has(name) && value !== undefined) outgoing[name] = value;
  }
  let stream: http2.ClientHttp2Stream;
  try {
    stream = session(endpoint).request(outgoing);
  } catch (error) {
    fail(res, error as Error);
    return;
  }
  stream.on('response', (responseHeaders) => {
    const status = Number(responseHeaders[':status'] ?? 502);
    const plain: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(responseHeaders)) if (!name.startsWith(':')) plain[name] = value;
    res.writeHead(status, plain);
    stream.pipe(res);
  });
  stream.on('error', (error) => fail(res, error));
  req.pipe(stream);
}
