import { describe, expect, it } from 'vitest';
import { clientResponse, isUpstreamResponse, passThroughResponse } from './index.ts';

describe('clientResponse', () => {
  it('removes hop-by-hop response headers and keeps each Set-Cookie separate', async () => {
    const upstream = new Response('body', {
      status: 201,
      headers: [
        ['Connection', 'close, X-Hop'],
        ['X-Hop', '1'],
        ['Keep-Alive', 'timeout=5'],
        ['Transfer-Encoding', 'chunked'],
        ['Set-Cookie', 'a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Path=/'],
        ['Set-Cookie', 'b=2'],
        ['Cache-Control', 'no-store'],
      ],
    });
    const response = clientResponse(upstream);
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Path=/', 'b=2']);
    expect([...response.headers.keys()].filter((name) => name !== 'set-cookie').sort()).toEqual(['cache-control', 'content-type']);
    expect(await response.text()).toBe('body');
  });

  it('passes the body stream through without reading it', async () => {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const response = clientResponse(new Response(readable));
    const writer = writable.getWriter();
    void writer.write(new TextEncoder().encode('first'));
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first');
    void writer.close();
    expect((await reader.read()).done).toBe(true);
  });

  it('answers null-body statuses without a body', async () => {
    const response = clientResponse(new Response(null, { status: 304, headers: { ETag: '"v1"' } }));
    expect(response.status).toBe(304);
    expect(response.headers.get('etag')).toBe('"v1"');
    expect(response.body).toBeNull();
  });
});

describe('passThroughResponse', () => {
  it('hands a response without hop-by-hop headers over as it came, marked as the pod\'s', async () => {
    const upstream = new Response('body', { status: 201, headers: [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['Cache-Control', 'no-store']] });
    const response = passThroughResponse(upstream);
    expect(response).toBe(upstream);
    expect(isUpstreamResponse(response)).toBe(true);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.text()).toBe('body');
  });

  it('still removes hop-by-hop headers and the headers Connection names', () => {
    const response = passThroughResponse(new Response('body', { headers: [['Connection', 'X-Hop'], ['X-Hop', '1'], ['Cache-Control', 'no-store']] }));
    expect([...response.headers.keys()].sort()).toEqual(['cache-control', 'content-type']);
    expect(isUpstreamResponse(response)).toBe(true);
  });

  it('answers null-body statuses without a body', () => {
    const response = passThroughResponse(new Response(null, { status: 204, headers: { ETag: '"v1"' } }));
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect(response.headers.get('etag')).toBe('"v1"');
  });
});
