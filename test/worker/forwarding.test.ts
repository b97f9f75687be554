import { beforeAll, describe, expect, it } from 'vitest';
import { echoOf, echoPool, publish, send, upstreams } from './helpers.ts';
import { router, table } from '../table-builders.ts';

beforeAll(async () => {
  await publish(table({ routers: [router('shop.example.com', '/', 'web')], services: { web: echoPool('a') } }));
});

describe('what the pod sees', () => {
  it('gets forwarding headers for the client', async () => {
    const echo = await echoOf(
      await send('https://shop.example.com/', { headers: { Host: 'Shop.Example.com:8443', 'CF-Connecting-IP': '203.0.113.7' } }),
    );
    expect(echo.headers).toMatchObject({
      'x-forwarded-for': '203.0.113.7',
      'x-real-ip': '203.0.113.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'Shop.Example.com:8443',
      'x-forwarded-port': '8443',
    });
  });

  it('defaults X-Forwarded-Port by scheme', async () => {
    const echo = await echoOf(await send('http://shop.example.com/', { headers: { 'CF-Connecting-IP': '2001:db8::7' } }));
    expect(echo.headers).toMatchObject({ 'x-forwarded-proto': 'http', 'x-forwarded-port': '80', 'x-forwarded-for': '2001:db8::7' });
  });

  it('never gets client copies of edge-only headers, whatever their letter case', async () => {
    const spoofed: [string, string][] = [
      ['x-FORWARDED-for', '6.6.6.6'],
      ['X-Forwarded-Proto', 'https'],
      ['X-FORWARDED-HOST', 'evil.example'],
      ['X-Forwarded-Port', '1'],
      ['x-forwarded-prefix', '/admin'],
      ['X-Forwarded-Uri', '/admin'],
      ['X-Forwarded-Method', 'DELETE'],
      ['X-Forwarded-Tls-Client-Cert', 'MIIB'],
      ['X-Forwarded-Tls-Client-Cert-Infos', 'Subject="CN=admin"'],
      ['X-Real-IP', '6.6.6.6'],
      ['x-replaced-path', '/admin'],
      ['X-Edgress-Endpoint', `http://${upstreams.echo.b}`],
      ['X-Edgress-Anything', '1'],
    ];
    const echo = await echoOf(await send('http://shop.example.com/', { headers: [...spoofed, ['CF-Connecting-IP', '198.51.100.1']] }));
    expect(echo.name).toBe('a');
    expect(echo.headers).toMatchObject({
      'x-forwarded-for': '198.51.100.1',
      'x-real-ip': '198.51.100.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.example.com',
      'x-forwarded-port': '80',
    });
    const leaked = Object.keys(echo.headers).filter((name) =>
      ['x-forwarded-prefix', 'x-forwarded-uri', 'x-forwarded-method', 'x-replaced-path', 'x-forwarded-tls-client-cert', 'x-forwarded-tls-client-cert-infos'].includes(name) ||
      name.startsWith('x-edgress-'),
    );
    expect(leaked).toEqual([]);
  });

  it('does not get hop-by-hop headers or the headers Connection names', async () => {
    const echo = await echoOf(
      await send('http://shop.example.com/', {
        headers: { Connection: 'X-Private', 'X-Private': 'secret', 'Keep-Alive': 'timeout=5', TE: 'trailers', 'Proxy-Authorization': 'Basic eDp5', Upgrade: 'h2c', 'X-Kept': 'yes' },
      }),
    );
    expect(echo.headers['x-kept']).toBe('yes');
    for (const name of ['x-private', 'keep-alive', 'te', 'proxy-authorization', 'upgrade']) expect(echo.headers).not.toHaveProperty(name);
  });

  it('gets the method and the streamed request body', async () => {
    const echo = await echoOf(await send('http://shop.example.com/form?x=1', { method: 'PATCH', body: 'name=edgress', headers: { 'Content-Type': 'text/plain' } }));
    expect(echo).toMatchObject({ method: 'PATCH', url: '/form?x=1', body: 'name=edgress' });
  });

  it('sees the endpoint address as Host under the direct transport (the runtime takes Host from the URL)', async () => {
    const echo = await echoOf(await send('http://shop.example.com/'));
    expect(echo.headers.host).toBe(upstreams.echo.a);
  });
});

describe('what the client gets back', () => {
  it('has hop-by-hop response headers removed and each Set-Cookie kept separate', async () => {
    const responseHeaders = {
      'Set-Cookie': ['session=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Path=/', 'theme=dark'],
      Connection: 'X-Hop',
      'X-Hop': 'internal',
      'Keep-Alive': 'timeout=5',
      'X-App': 'shop',
    };
    const response = await send('http://shop.example.com/', { headers: { 'x-echo-response-headers': JSON.stringify(responseHeaders) } });
    expect(response.headers.getSetCookie()).toEqual(['session=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Path=/', 'theme=dark']);
    expect(response.headers.get('x-app')).toBe('shop');
    for (const name of ['x-hop', 'keep-alive', 'connection']) expect(response.headers.has(name)).toBe(false);
  });

  it("gets the pod's status and redirects unfollowed", async () => {
    const response = await send('http://shop.example.com/old', {
      redirect: 'manual',
      headers: { 'x-echo-status': '301', 'x-echo-response-headers': JSON.stringify({ Location: '/new' }) },
    });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/new');
  });

  it('gets no body for HEAD', async () => {
    const response = await send('http://shop.example.com/', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-echo-name')).toBe('a');
    expect(await response.text()).toBe('');
  });
});

describe('streaming', () => {
  it('streams both ways: the pod answers while the client is still sending', async () => {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    void writer.write(encoder.encode('one;'));
    // A worker that buffered either body would never get here: the pod only
    // echoes what arrives, and the client sends the rest after reading it.
    const response = await send('http://shop.example.com/stream', {
      method: 'POST',
      body: readable,
      headers: { 'x-echo-mode': 'stream' },
    }, { UPSTREAM_TIMEOUT_MS: '300' });
    expect(response.headers.get('x-echo-name')).toBe('a');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    while (!received.includes('one;')) received += (await reader.read()).value ?? '';
    // Longer than the timeout: it only bounds the wait for response headers.
    await new Promise((resolve) => setTimeout(resolve, 500));
    void writer.write(encoder.encode('two;'));
    void writer.close();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received += chunk.value;
    expect(received).toBe('one;two;');
  });
});
