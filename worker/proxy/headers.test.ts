import { describe, expect, it } from 'vitest';
import { asHeaders, editedHeaders, hostPort, isWebSocketUpgrade, setForwardingHeaders, upstreamRequestHeaders, type UpstreamHeaders } from './index.ts';

const names = (headers: UpstreamHeaders) => [...asHeaders(headers).keys()];

describe('upstreamRequestHeaders', () => {
  it('drops hop-by-hop headers and the headers Connection names, keeps end-to-end ones', () => {
    const incoming = new Headers({
      Connection: 'keep-alive, X-Private, close',
      'Keep-Alive': 'timeout=5',
      'Proxy-Authorization': 'Basic eDp5',
      'Proxy-Connection': 'keep-alive',
      TE: 'trailers',
      Trailer: 'X-Sum',
      'Transfer-Encoding': 'chunked',
      Upgrade: 'h2c',
      'X-Private': 'secret',
      Accept: 'text/html',
      'Content-Type': 'application/json',
      Authorization: 'Bearer t',
    });
    expect(names(upstreamRequestHeaders(incoming, false)).sort()).toEqual(['accept', 'authorization', 'content-type']);
  });

  it('removes edge-only headers whatever their letter case', () => {
    const incoming = new Headers([
      ['X-Forwarded-For', '6.6.6.6'],
      ['x-FORWARDED-proto', 'https'],
      ['X-Forwarded-Host', 'evil.example'],
      ['X-Forwarded-Port', '1'],
      ['X-Forwarded-Prefix', '/admin'],
      ['X-Forwarded-Uri', '/x'],
      ['X-Forwarded-Method', 'DELETE'],
      ['X-Forwarded-Tls-Client-Cert', 'MII'],
      ['X-Forwarded-Tls-Client-Cert-Infos', 'CN=admin'],
      ['X-Real-Ip', '6.6.6.6'],
      ['X-Replaced-Path', '/admin'],
      ['X-Edgress-Endpoint', 'http://10.0.0.1:22'],
      ['Forwarded', 'for=6.6.6.6'],
      ['Host', 'shop.example.com'],
      ['X-Request-Id', 'r1'],
    ]);
    expect(names(upstreamRequestHeaders(incoming, false))).toEqual(['x-request-id']);
  });

  it('removes URL-override headers in every spelling unless the route passes them (SECURITY.md, findings and fixes)', () => {
    const incoming = new Headers([
      ['X-Original-URL', '/admin'],
      ['x-rewrite-url', '/admin'],
      ['X_Original_URL', '/admin'],
      ['X_REWRITE_URL', '/admin'],
      ['X-Original_Url', '/admin'],
      ['X-Original-URI', '/admin'],
      ['X-Original-Host', 'kept.example'],
      ['Expect', '100-continue'],
    ]);
    expect(names(upstreamRequestHeaders(incoming, false))).toEqual(['x-original-host']);
    expect(names(upstreamRequestHeaders(incoming, false, true)).sort()).toEqual([
      'x-original-host', 'x-original-uri', 'x-original-url', 'x-original_url', 'x-rewrite-url', 'x_original_url', 'x_rewrite_url',
    ]);
  });

  it('keeps Upgrade and Connection for a WebSocket upgrade only', () => {
    const incoming = new Headers({ Upgrade: 'WebSocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'k' });
    expect(isWebSocketUpgrade(incoming)).toBe(true);
    expect(names(upstreamRequestHeaders(incoming, true)).sort()).toEqual(['connection', 'sec-websocket-key', 'upgrade']);
    expect(isWebSocketUpgrade(new Headers({ Upgrade: 'h2c' }))).toBe(false);
  });
});

describe('upstreamRequestHeaders as a record', () => {
  it('is a record of the kept headers, sent as the same headers a Headers would hold', () => {
    const incoming = new Headers({ Accept: 'text/html', 'X-Forwarded-For': '6.6.6.6', Host: 'a.example', Cookie: 'a=1; b=2' });
    const headers = upstreamRequestHeaders(incoming, false);
    expect(headers).not.toBeInstanceOf(Headers);
    expect([...new Request('http://pod/', { headers: headers as HeadersInit }).headers]).toEqual([
      ['accept', 'text/html'],
      ['cookie', 'a=1; b=2'],
    ]);
  });

  it('takes a header named __proto__ or constructor as a name like any other', () => {
    const incoming = new Headers([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
    expect([...asHeaders(upstreamRequestHeaders(incoming, false))]).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
  });

  it('keeps each copy of a name the client repeats that iteration does not combine (Set-Cookie)', () => {
    const incoming = new Headers([
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['accept', '*/*'],
    ]);
    const headers = upstreamRequestHeaders(incoming, false);
    expect(headers).toBeInstanceOf(Headers);
    expect(asHeaders(headers).getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(asHeaders(headers).get('accept')).toBe('*/*');
  });
});

describe('editedHeaders', () => {
  it('copies a record or a Headers with names removed and set, leaving the original as it was', () => {
    const record = upstreamRequestHeaders(new Headers({ Accept: '*/*', 'CF-Access-Client-Id': 'forged' }), false);
    const headers = asHeaders(upstreamRequestHeaders(new Headers({ Accept: '*/*', 'CF-Access-Client-Id': 'forged' }), false));
    for (const original of [record, headers]) {
      const edited = editedHeaders(original, { 'cf-access-client-id': 'worker', 'x-edgress-endpoint': 'http://10.0.0.1:80' }, ['cf-access-client-id']);
      expect(Object.fromEntries(asHeaders(edited))).toEqual({ accept: '*/*', 'cf-access-client-id': 'worker', 'x-edgress-endpoint': 'http://10.0.0.1:80' });
      expect(Object.fromEntries(asHeaders(original))).toEqual({ accept: '*/*', 'cf-access-client-id': 'forged' });
    }
    expect(Object.fromEntries(asHeaders(editedHeaders(record, {}, ['cf-access-client-id'])))).toEqual({ accept: '*/*' });
  });
});

describe('setForwardingHeaders', () => {
  const forwarded = (facts: Parameters<typeof setForwardingHeaders>[1]) => {
    const headers = new Headers();
    setForwardingHeaders(headers, facts);
    // The record the forwarder uses on a route without middlewares gets the same headers.
    const record = upstreamRequestHeaders(new Headers({ 'X-Forwarded-For': '6.6.6.6' }), false);
    setForwardingHeaders(record, facts);
    expect(Object.fromEntries(asHeaders(record))).toEqual(Object.fromEntries(headers));
    return Object.fromEntries(headers);
  };

  it('sets client IP, scheme, original Host and its port', () => {
    expect(forwarded({ clientIp: '203.0.113.7', scheme: 'https', websocket: false, hostHeader: 'Shop.example.com:8443' })).toEqual({
      'x-forwarded-for': '203.0.113.7',
      'x-real-ip': '203.0.113.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'Shop.example.com:8443',
      'x-forwarded-port': '8443',
    });
  });

  it('defaults the port by scheme and says ws/wss for WebSocket upgrades', () => {
    expect(forwarded({ clientIp: '2001:db8::1', scheme: 'http', websocket: true, hostHeader: 'a.example' })).toMatchObject({
      'x-forwarded-proto': 'ws',
      'x-forwarded-port': '80',
    });
    expect(forwarded({ clientIp: undefined, scheme: 'https', websocket: true, hostHeader: 'a.example' })).toEqual({
      'x-forwarded-proto': 'wss',
      'x-forwarded-host': 'a.example',
      'x-forwarded-port': '443',
    });
  });
});

describe('hostPort', () => {
  it.each([
    ['a.example', undefined],
    ['a.example:8080', '8080'],
    ['[2001:db8::1]:8443', '8443'],
    ['[2001:db8::1]', undefined],
    ['2001:db8::1', undefined],
    ['10.0.0.1:81', '81'],
  ])('%s → %s', (host, port) => expect(hostPort(host)).toBe(port));
});
