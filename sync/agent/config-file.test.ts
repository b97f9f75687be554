import { describe, expect, it } from 'vitest';
import { parseConfigFile } from './config-file.ts';
import { UsageError } from '../common/usage-error.ts';
import { parseDuration } from '../common/duration.ts';

const TRAEFIK_FILE = `
defaultEntryPoints = ["http", "https"]
logLevel = "INFO"

[entryPoints]
  [entryPoints.http]
  address = ":80"

[api]

[kubernetes]
endpoint = "https://10.0.0.1:6443"
token = "secret-token"
certAuthFilePath = "/var/run/ca.crt"
namespaces = ["shop", "blog"]
labelselector = "edge=yes,!internal"
ingressClass = "traefik-edge"
disablePassHostHeaders = true
enablePassTLSCert = false
throttleDuration = "2s"
watch = true
  [kubernetes.ingressEndpoint]
  hostname = "edge.example.com"
  ip = "203.0.113.7"
  publishedService = "infra/edge"
`;

describe('parseConfigFile', () => {
  it("reads a Traefik 1.7 user's file as it is, warning about the sections it ignores", () => {
    const { settings, warnings } = parseConfigFile(TRAEFIK_FILE, 'traefik.toml');
    expect(settings).toEqual({
      endpoint: 'https://10.0.0.1:6443',
      token: 'secret-token',
      certAuthFilePath: '/var/run/ca.crt',
      namespaces: ['shop', 'blog'],
      labelSelector: 'edge=yes,!internal',
      ingressClass: 'traefik-edge',
      disablePassHostHeaders: true,
      enablePassTLSCert: false,
      throttleMs: 2000,
      ingressEndpoint: { hostname: 'edge.example.com', ip: '203.0.113.7', publishedService: 'infra/edge' },
    });
    expect(warnings).toEqual([
      'traefik.toml: ignoring "defaultEntryPoints" (edgress reads only [kubernetes])',
      'traefik.toml: ignoring "logLevel" (edgress reads only [kubernetes])',
      'traefik.toml: ignoring [entryPoints] (edgress reads only [kubernetes])',
      'traefik.toml: ignoring [api] (edgress reads only [kubernetes])',
      'traefik.toml: kubernetes.watch is a Traefik option edgress ignores',
    ]);
  });

  it('matches keys without regard to case, as Traefik did', () => {
    expect(parseConfigFile('[kubernetes]\nLabelSelector = "a=b"\nIngressEndpoint = { PublishedService = "x/y" }', 'f').settings).toEqual({
      labelSelector: 'a=b',
      ingressEndpoint: { publishedService: 'x/y' },
    });
  });

  it('rejects an unknown key in [kubernetes] or [kubernetes.ingressEndpoint], naming it', () => {
    expect(() => parseConfigFile('[kubernetes]\nnamespace = ["a"]', 'edgress.toml')).toThrow(new UsageError('edgress.toml: kubernetes.namespace: unknown key "namespace" in [kubernetes]'));
    expect(() => parseConfigFile('[kubernetes.ingressEndpoint]\nhost = "x"', 'e.toml')).toThrow(/unknown key "host" in \[kubernetes.ingressEndpoint\]/);
  });

  it('rejects values of the wrong type and invalid TOML with the file named', () => {
    expect(() => parseConfigFile('[kubernetes]\nnamespaces = "shop"', 'e.toml')).toThrow('e.toml: kubernetes.namespaces must be a list of strings');
    expect(() => parseConfigFile('[kubernetes]\nthrottleDuration = "soon"', 'e.toml')).toThrow(/must be a duration/);
    expect(() => parseConfigFile('[kubernetes\n', 'e.toml')).toThrow(/^e.toml: /);
  });

  it('reads the edge keys in [kubernetes] or at the top level, checking their values', () => {
    const inSection = parseConfigFile('[kubernetes]\nedgeHosts = "custom-domains"\nworkerName = "W"\nownerId = "prod"\nedgeTls = "upload-secrets"\ndryRun = true', 'e.toml');
    expect(inSection).toEqual({ settings: { edgeHosts: 'custom-domains', workerName: 'W', ownerId: 'prod', edgeTls: 'upload-secrets', dryRun: true }, warnings: [] });
    expect(parseConfigFile('edgehosts = "routes"\nownerId = "staging"\n[kubernetes]\nnamespaces = ["shop"]', 'e.toml').settings).toEqual({ edgeHosts: 'routes', ownerId: 'staging', namespaces: ['shop'] });
    expect(() => parseConfigFile('[kubernetes]\nedgeHosts = "dns"', 'e.toml')).toThrow('e.toml: kubernetes.edgeHosts must be one of "off", "custom-domains", "routes"');
    expect(() => parseConfigFile('dryRun = "yes"', 'e.toml')).toThrow('e.toml: dryRun must be true or false');
  });

  it('accepts a file without [kubernetes]', () => {
    expect(parseConfigFile('', 'e.toml')).toEqual({ settings: {}, warnings: [] });
  });
});

describe('parseDuration', () => {
  it('reads Go durations and bare seconds', () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration(2)).toBe(2000);
    expect(parseDuration('3')).toBe(3000);
    expect(parseDuration('2 s')).toBeUndefined();
    expect(parseDuration('-1s')).toBeUndefined();
  });
});

describe('parseConfigFile: the ingress-nginx dialect keys', () => {
  it('reads gatewayController (any letter case)', () => {
    expect(parseConfigFile('[kubernetes]\ngatewaycontroller = "example.com/gw"\n', 'edgress.toml').settings).toEqual({ gatewayController: 'example.com/gw' });
    expect(() => parseConfigFile('[kubernetes]\ngatewayController = 3\n', 'edgress.toml')).toThrow(/gatewayController must be a string/);
  });

  it('reads ingressNginx, ingressNginxController and allowSnippetHeaders (any letter case)', () => {
    const { settings } = parseConfigFile('[kubernetes]\ningressNginx = true\ningressnginxcontroller = "example.com/nginx"\nallowSnippetHeaders = true\n', 'edgress.toml');
    expect(settings).toEqual({ ingressNginx: true, ingressNginxController: 'example.com/nginx', allowSnippetHeaders: true });
  });

  it('refuses a non-boolean ingressNginx, naming it', () => {
    expect(() => parseConfigFile('[kubernetes]\ningressNginx = "yes"\n', 'edgress.toml')).toThrow(/kubernetes.ingressNginx must be true or false/);
  });
});
