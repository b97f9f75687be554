// Real ingress-nginx manifests (test/fixtures/ingress-nginx/, each naming its
// source) compile without errors under --ingress-nginx and route as their
// documentation says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, parseManifests, type CompileResult } from '../../src/compile/index.ts';
import { compileTable, hostView } from '../../src/match/compiled-table.ts';
import { selectRoute } from '../../src/match/select.ts';
import type { Middleware } from '../../src/table/middleware.ts';

function compiled(file: string): CompileResult {
  const text = readFileSync(new URL(`../fixtures/ingress-nginx/${file}`, import.meta.url), 'utf8');
  const { objects, errors } = parseManifests(text, file);
  expect(errors).toEqual([]);
  return compile(objects, { ingressNginx: true });
}

function route(result: CompileResult, url: string) {
  const parsed = new URL(url);
  const selection = selectRoute(hostView(compileTable(result.table), parsed.hostname), parsed.pathname, parsed.protocol === 'https:' ? 'https' : 'http');
  if (!selection) throw new Error(`no route for ${url}`);
  return { router: selection.route.router, middlewares: selection.route.middlewares, service: selection.route.router.service };
}

const kinds = (middlewares: readonly Middleware[]) => middlewares.map((middleware) => middleware.kind);
const errorsOf = (result: CompileResult) => result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');

describe('real ingress-nginx manifests', () => {
  it('oauth2-proxy (docs/examples/auth/oauth-external-auth): /oauth2 unprotected, the rest behind auth-url with sign-in', () => {
    const result = compiled('oauth2-proxy.yaml');
    expect(errorsOf(result)).toEqual([]);
    expect(route(result, 'https://dashboard.example.com/oauth2/start').service).toBe('kube-system/oauth2-proxy:4180');
    const app = route(result, 'https://dashboard.example.com/');
    expect(app.service).toBe('kube-system/kubernetes-dashboard:80');
    const auth = app.middlewares.find((middleware) => middleware.kind === 'forward-auth');
    expect(auth?.kind === 'forward-auth' && auth.nginx?.signin).toBeTruthy();
    // The oauth2-proxy Ingress has tls:, so its http requests are redirected (ssl-redirect defaults to true).
    expect(kinds(route(result, 'http://dashboard.example.com/oauth2/auth').middlewares)).toContain('redirect');
  });

  it('docker-registry (docs/examples/docker-registry): no body limit, timeouts accepted, https redirect', () => {
    const result = compiled('docker-registry.yaml');
    expect(errorsOf(result)).toEqual([]);
    const registry = route(result, 'https://registry.example.com/v2/');
    expect(kinds(registry.middlewares)).not.toContain('buffering');
    expect(kinds(registry.middlewares)).toContain('redirect');
  });

  it('canary (docs/examples/canary): the canary Ingress joins the main route as a 50% canary', () => {
    const result = compiled('canary.yaml');
    expect(errorsOf(result)).toEqual([]);
    expect(result.served).toEqual(['default/canary', 'default/production']);
    const main = route(result, 'http://echo.prod.mydomain.com/');
    expect(main.service).toBe('default/production:80');
    expect(main.middlewares).toContainEqual({ kind: 'canary', service: 'default/canary:80', header: 'X-Canary', weight: 50, total: 100 });
  });

  it('rewrite (docs/examples/rewrite): regex path with /$2, app-root /app1', () => {
    const result = compiled('rewrite.yaml');
    expect(errorsOf(result)).toEqual([]);
    const rewrite = route(result, 'http://rewrite.bar.com/something/new');
    expect(rewrite.router.match).toEqual({ type: 'regex', path: '/something(/|$)(.*)' });
    expect(rewrite.middlewares).toContainEqual({ kind: 'replace-path-regex', regex: { source: '^(?:/something(/|$)(.*)).*', flags: 'i' }, replacement: ['/', 2] });
    expect(kinds(route(result, 'http://approot.bar.com/').middlewares)).toEqual(['redirect']);
  });

  it('Argo CD (operator-manual/ingress.md): passthrough is reported as ignored, force-ssl-redirect honoured', () => {
    const result = compiled('argocd.yaml');
    expect(errorsOf(result)).toEqual([]);
    expect(result.diagnostics.some((diagnostic) => diagnostic.code === 'IgnoredAnnotation' && diagnostic.message.includes('ssl-passthrough'))).toBe(true);
    expect(kinds(route(result, 'http://argocd.example.com/').middlewares)).toContain('redirect');
    expect(route(result, 'https://argocd-http.example.com/applications').service).toBe('argocd/argocd-server:80');
  });

  it('Harbor (harbor-helm): core paths and the portal, trailing-slash paths redirect', () => {
    const result = compiled('harbor.yaml');
    expect(errorsOf(result)).toEqual([]);
    expect(route(result, 'https://core.harbor.domain/api/v2.0/projects').service).toBe('harbor/harbor-core:80');
    expect(route(result, 'https://core.harbor.domain/v2/library/nginx/manifests/latest').service).toBe('harbor/harbor-core:80');
    expect(route(result, 'https://core.harbor.domain/harbor/projects').service).toBe('harbor/harbor-portal:80');
    // nginx answers /v2 with a 301 to /v2/ (a Prefix location ending in /).
    expect(kinds(route(result, 'https://core.harbor.domain/v2').middlewares)).toEqual(['redirect']);
  });
});
