/**
 * Gateway API conformance, HTTP profile: RequestRedirect (Core hostname and
 * status; Extended scheme, path, port and the 303/307/308 codes). Each block
 * transcribes one test of kubernetes-sigs/gateway-api `conformance/tests/`,
 * with that test's manifests (test/fixtures/gateway-api/) on top of the
 * suite's base, served by one `edgress dev` per file. As the suite, a Location
 * part the case does not state must equal the request's (scheme, path), and
 * an unstated port must be absent or the scheme's well-known one.
 */
import { describe } from 'vitest';
import { DEFAULT_HOST, gatewayWorldPerFile, itSends, type Case } from '../harness/gateway.ts';

const { world: w, using } = gatewayWorldPerFile('httproute-redirect-host-and-status');

/** A redirect case: GET (unless stated) `path`, expecting `status` and the stated Location parts. */
function redirect(path: string, status: number, location: NonNullable<Case['expected']['redirect']>, request: Partial<Case['request']> = {}): Case {
  return { request: { path, ...request }, expected: { status, redirect: location } };
}

// conformance/tests/httproute-redirect-host-and-status.go
describe('HTTPRouteRedirectHostAndStatus', () => {
  using('httproute-redirect-host-and-status');
  itSends(w, [redirect('/hostname-redirect', 302, { host: 'example.org' }), redirect('/host-and-status', 301, { host: 'example.org' })]);
});

// conformance/tests/httproute-redirect-path.go (Extended: HTTPRoutePathRedirect)
describe('HTTPRouteRedirectPath', () => {
  using('httproute-redirect-path');
  itSends(w, [
    redirect('/original-prefix/lemon', 302, { path: '/replacement-prefix/lemon' }),
    redirect('/full/path/original', 302, { path: '/full-path-replacement' }),
    redirect('/path-and-host', 302, { host: 'example.org', path: '/replacement-prefix' }),
    redirect('/path-and-status', 301, { path: '/replacement-prefix' }),
    redirect('/full-path-and-host', 302, { host: 'example.org', path: '/replacement-full' }),
    redirect('/full-path-and-status', 301, { path: '/replacement-full' }),
  ]);
});

// conformance/tests/httproute-redirect-port.go (Extended: HTTPRoutePortRedirect)
describe('HTTPRouteRedirectPort', () => {
  using('httproute-redirect-port');
  itSends(w, [
    redirect('/port', 302, { port: '8083' }),
    redirect('/port-and-host', 302, { host: 'example.org', port: '8083' }),
    redirect('/port-and-status', 301, { port: '8083' }),
    redirect('/port-and-host-and-status', 302, { port: '8083', host: 'example.org' }),
  ]);
});

// conformance/tests/httproute-redirect-scheme.go (Extended: HTTPRouteSchemeRedirect)
describe('HTTPRouteRedirectScheme', () => {
  using('httproute-redirect-scheme');
  itSends(w, [
    redirect('/scheme', 302, { scheme: 'https' }),
    redirect('/scheme-and-host', 302, { host: 'example.org', scheme: 'https' }),
    redirect('/scheme-and-status', 301, { scheme: 'https' }),
    redirect('/scheme-and-host-and-status', 302, { scheme: 'https', host: 'example.org' }),
  ]);
});

// conformance/tests/httproute-redirect-port-and-scheme.go (Extended: HTTPRoutePortRedirect, HTTPRouteSchemeRedirect).
// The suite reaches each Gateway at its own address; at the edge all three share one, so the
// listener is told apart the way a request shows it: port 80 plain, port 8080 in the Host
// header, port 443 as HTTPS (X-Forwarded-Proto from the edge's TLS termination).
describe('HTTPRouteRedirectPortAndScheme', () => {
  using('httproute-redirect-port-and-scheme');
  describe('http listener on 80', () => {
    itSends(w, [
      redirect('/scheme-nil-and-port-nil', 302, { scheme: 'http', host: 'example.org' }),
      redirect('/scheme-nil-and-port-80', 302, { scheme: 'http', host: 'example.org' }),
      redirect('/scheme-nil-and-port-8080', 302, { scheme: 'http', port: '8080', host: 'example.org' }),
      redirect('/scheme-https-and-port-nil', 302, { scheme: 'https', host: 'example.org' }),
      redirect('/scheme-https-and-port-443', 302, { scheme: 'https', host: 'example.org' }),
      redirect('/scheme-https-and-port-8443', 302, { scheme: 'https', port: '8443', host: 'example.org' }),
    ]);
  });
  describe('http listener on 8080', () => {
    const on8080 = { host: `${DEFAULT_HOST}:8080` };
    itSends(w, [
      redirect('/scheme-nil-and-port-nil', 302, { scheme: 'http', port: '8080', host: 'example.org' }, on8080),
      redirect('/scheme-nil-and-port-80', 302, { scheme: 'http', host: 'example.org' }, on8080),
      redirect('/scheme-https-and-port-nil', 302, { scheme: 'https', host: 'example.org' }, on8080),
    ]);
  });
  describe('https listener on 443', () => {
    const on443 = { host: 'example.org', scheme: 'https' } as const;
    itSends(w, [
      redirect('/scheme-nil-and-port-nil', 302, { scheme: 'https', host: 'example.org' }, on443),
      redirect('/scheme-nil-and-port-443', 302, { scheme: 'https', host: 'example.org' }, on443),
      redirect('/scheme-nil-and-port-8443', 302, { scheme: 'https', port: '8443', host: 'example.org' }, on443),
      redirect('/scheme-http-and-port-nil', 302, { scheme: 'http', host: 'example.org' }, on443),
      redirect('/scheme-http-and-port-80', 302, { scheme: 'http', host: 'example.org' }, on443),
      redirect('/scheme-http-and-port-8080', 302, { scheme: 'http', port: '8080', host: 'example.org' }, on443),
    ]);
  });
});

// conformance/tests/httproute-303-redirect.go (Extended, provisional: HTTPRoute303RedirectStatusCode)
describe('HTTPRoute303Redirect', () => {
  using('httproute-303-redirect');
  itSends(w, [redirect('/see-other', 303, { path: '/see-other' }, { method: 'POST' })]);
});

// conformance/tests/httproute-307-redirect.go (Extended, provisional: HTTPRoute307RedirectStatusCode)
describe('HTTPRoute307Redirect', () => {
  using('httproute-307-redirect');
  itSends(w, [redirect('/temporary', 307, { path: '/temporary' })]);
});

// conformance/tests/httproute-308-redirect.go (Extended, provisional: HTTPRoute308RedirectStatusCode)
describe('HTTPRoute308Redirect', () => {
  using('httproute-308-redirect');
  itSends(w, [redirect('/permanent', 308, { path: '/permanent' })]);
});

// conformance/tests/httproute-backend-request-redirect.go (Extended: HTTPRouteBackendRequestRedirect)
describe('HTTPRouteBackendRequestRedirect', () => {
  using('httproute-backend-request-redirect');
  itSends(w, [redirect('/full/original', 302, { path: '/redirected-full' }), redirect('/prefix/original', 302, { path: '/redirected-prefix/original' })]);
});
