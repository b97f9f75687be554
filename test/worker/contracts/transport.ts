// The contract every Transport keeps (CONTRIBUTING.md#interfaces-at-the-seams), run against
// each implementation: what the forwarder hands it reaches the endpoint as
// given (method, path and query, headers, body), the endpoint's answer comes
// back as it was sent (status, headers, a redirect unfollowed, both bodies
// streaming), an endpoint that cannot be reached is a `connect` failure
// naming it, and an aborted request stops without being taken for one.
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../worker/balancer/index.ts';
import { TransportError, type Transport, type UpstreamRequest } from '../../../worker/transport/index.ts';
import type { Echo } from '../../upstreams/provided.ts';

export interface TransportImplementation {
  readonly transport: () => Transport;
  /** An endpoint the transport reaches echo server `a` through. */
  readonly reachable: Endpoint;
  /** An endpoint the transport cannot connect to. */
  readonly unreachable: Endpoint;
}

function upstreamRequest(endpoint: Endpoint, init: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return {
    endpoint,
    method: 'GET',
    target: '/',
    host: 'shop.example.com',
    headers: new Headers(),
    body: null,
    signal: new AbortController().signal,
    ...init,
  };
}

export function transportContract(name: string, implementation: TransportImplementation): void {
  describe(`Transport contract: ${name}`, () => {
    it('sends the method, the path and query as given, the headers and the body', async () => {
      const response = await implementation.transport().send(
        upstreamRequest(implementation.reachable, {
          method: 'POST',
          target: '/a/b%2Fc?x=1&y=%20z',
          headers: new Headers({ 'x-custom': 'one', cookie: 'a=1; b=2', 'content-type': 'text/plain' }),
          body: new Response('the body, sent as is').body,
        }),
      );
      expect(response.status).toBe(200);
      const echo = (await response.json()) as Echo;
      expect(echo).toMatchObject({ name: 'a', method: 'POST', url: '/a/b%2Fc?x=1&y=%20z', body: 'the body, sent as is' });
      expect(echo.headers).toMatchObject({ 'x-custom': 'one', cookie: 'a=1; b=2', 'content-type': 'text/plain' });
    });

    it("returns the endpoint's status and headers, a redirect unfollowed", async () => {
      const headers = new Headers({ 'x-echo-status': '302', 'x-echo-response-headers': JSON.stringify({ location: '/elsewhere', 'x-upstream': 'yes' }) });
      const response = await implementation.transport().send(upstreamRequest(implementation.reachable, { headers }));
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/elsewhere');
      expect(response.headers.get('x-upstream')).toBe('yes');
      await response.body?.cancel();
    });

    it('resolves when the response headers arrive, while the request body still streams', async () => {
      const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
      const writer = writable.getWriter();
      const encoder = new TextEncoder();
      void writer.write(encoder.encode('one;'));
      // The echo server sends back what arrives: the rest is written only after the first part came back.
      const headers = new Headers({ 'x-echo-mode': 'stream', 'content-type': 'text/plain' });
      const response = await implementation.transport().send(upstreamRequest(implementation.reachable, { method: 'POST', headers, body: readable }));
      expect(response.status).toBe(200);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let received = '';
      while (!received.includes('one;')) received += (await reader.read()).value ?? '';
      void writer.write(encoder.encode('two;'));
      void writer.close();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received += chunk.value;
      expect(received).toBe('one;two;');
    });

    it('reports an endpoint it cannot connect to as a connect failure of that endpoint', async () => {
      const failure = await implementation
        .transport()
        .send(upstreamRequest(implementation.unreachable))
        .then(
          () => 'answered',
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(TransportError);
      expect(failure).toMatchObject({ failure: 'connect', endpoint: implementation.unreachable });
    });

    it('stops an aborted request without taking it for an unreachable endpoint', async () => {
      const failure = await implementation
        .transport()
        .send(upstreamRequest(implementation.reachable, { signal: AbortSignal.abort() }))
        .then(
          () => 'answered',
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(TransportError);
    });
  });
}
