// A stand-in for `edgress dev`'s relay, implementing its contract with the
// worker: connect to `x-edgress-endpoint` (http:// only here), send the
// request with the incoming Host and headers, stream the answer back. A
// refused connection is 502 + `x-edgress-relay-error: connect`; a failure
// after connecting is 502 + `x-edgress-relay-error: upstream`. It marks what
// it relays with `x-test-relayed: 1` so tests can tell the path taken.
import http from 'node:http';
import { listen } from './echo-server.ts';

export async function startFakeRelay(host: string): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const endpoint = new URL(String(request.headers['x-edgress-endpoint']));
    const headers: http.OutgoingHttpHeaders = { ...request.headers, 'x-test-relayed': '1' };
    delete headers['x-edgress-endpoint'];
    let connected = false;
    const upstream = http.request({
      host: endpoint.hostname,
      port: endpoint.port,
      method: request.method,
      path: request.url,
      headers,
    });
    upstream.on('socket', (socket) => {
      // A kept-alive socket is connected already and emits no 'connect'.
      if (socket.connecting) socket.once('connect', () => (connected = true));
      else connected = true;
    });
    upstream.on('response', (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(response);
    });
    upstream.on('error', () => {
      if (response.headersSent) return void response.destroy();
      response.writeHead(502, { 'x-edgress-relay-error': connected ? 'upstream' : 'connect' });
      response.end('relay failure\n');
    });
    request.pipe(upstream);
  });
  await listen(server, host);
  return server;
}
