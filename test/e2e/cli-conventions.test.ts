/**
 * The `edgress` command line behaves like kubectl and wrangler: `--version`,
 * exit status 2 for every usage error (commander's own included), one line
 * on stderr and never a stack trace for a failure, help wrapped at the
 * terminal width, `--watch` reporting a change once, and a tunnel-config
 * collision hint that fixes the collision.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli, startDev, tempDir, type CliResult } from './harness/edgress.ts';
import { toYaml } from './harness/manifests.ts';

const ingress = (name: string, service: string, namespace = 'default') => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace },
  spec: { rules: [{ host: `${name}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: 80 } } } }] } }] },
});
const service = (name: string, namespace = 'default') => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
});

/** A failure as a user should see it: one line, "error: …", no stack trace. */
function expectOneLineError(result: CliResult, pattern: RegExp): void {
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0], result.stderr).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/node:internal|Node\.js v/);
}

/** Holds a loopback port for the length of a test. */
async function occupy(host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir({ 'site.yaml': toYaml([ingress('site', 'web'), service('web')]) });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('--version', () => {
  it.each([['--version'], ['-V']])('%s prints the package version and exits 0', async (flag) => {
    const { version } = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli([flag]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['compile', '--bogus'], /unknown option '--bogus'/],
    [['dev', '--port', 'abc'], /--port.*'abc' is invalid/],
    [['dev', '-f', 'x', '--isolates', '0'], /--isolates/],
    [['explain'], /missing required argument 'url'/],
    [['nosuch'], /unknown command 'nosuch'/],
    [['compile', '-f', 'examples/cluster', 'extra'], /too many arguments/],
    [['compile', '-f'], /argument missing/],
    [['sync', '--max-removal-share', '2'], /not a share/],
    [['sync', '--gc-grace', 'soon'], /not a duration/],
    [['tunnel-config', '-o', 'xml'], /xml/],
    [['compile'], /give manifests with -f/],
  ])('edgress %j', async (args, pattern) => {
    const result = await runCli(args);
    expect(result.status, result.stderr).toBe(2);
    expectOneLineError(result, pattern);
  });

  it('edgress with no command shows help and exits 2; help itself exits 0', async () => {
    const none = await runCli([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/Usage: edgress/);
    expect((await runCli(['help', 'compile'])).status).toBe(0);
    expect((await runCli(['compile', '--help'])).status).toBe(0);
  });
});

describe('help', () => {
  const commands = [[], ['compile'], ['dev'], ['doctor'], ['explain'], ['rollback'], ['sync'], ['tunnel-config']];

  it.each(commands.flatMap((command) => [60, 100].map((width) => [command, width] as const)))('edgress %j --help fits in %i columns', async (command, width) => {
    const result = await runCli([...command, '--help'], { env: { COLUMNS: String(width) } });
    expect(result.status).toBe(0);
    // A line may only run over when it is one word too long to break (a URL).
    const over = result.stdout.split('\n').filter((line) => line.length > width && /\S\s+\S/.test(line.trim()));
    expect(over).toEqual([]);
    expect(result.stdout).not.toContain('(default: [])');
  });

  it('shows defaults in the unit users write', async () => {
    const result = await runCli(['sync', '--help'], { env: { COLUMNS: '200' } });
    expect(result.stdout).toMatch(/--gc-grace <duration> +.*\(default: 1h\)/);
    expect(result.stdout).not.toContain('3600000');
  });

  it('does not break a description mid-sentence at the old fixed width', async () => {
    const result = await runCli(['compile', '--help'], { env: { COLUMNS: '200' } });
    const description = result.stdout.split('\n\n')[1] ?? '';
    // Wrapped at the terminal's 200 columns, not at 80.
    expect(description.split('\n')[0]!.length).toBeGreaterThan(150);
    expect(description.replace(/\n/g, ' ')).toMatch(/Compiles Kubernetes manifests .* into the routing table the edge worker serves\./);
  });
});

describe('one-line errors', () => {
  it('-o into a missing directory: exit 2 before compiling, naming the directory', async () => {
    const result = await runCli(['compile', '-f', dir, '-o', join(dir, 'missing', 'table.json')]);
    expect(result.status).toBe(2);
    expectOneLineError(result, /-o .*missing\/table\.json: directory .*missing does not exist/);
    const out = await runCli(['sync', '--once', '--out', join(dir, 'missing', 'table.json')]);
    expect(out.status).toBe(2);
    expectOneLineError(out, /--out .*: directory .*missing does not exist/);
  });

  it('sync with no kubeconfig and not in a cluster: exit 2 with the documented message, no dialling localhost:8080', async () => {
    const home = await tempDir({});
    const result = await runCli(['sync', '--once', '--out', join(dir, 'table.json')], {
      env: { HOME: home, KUBECONFIG: undefined, KUBERNETES_SERVICE_HOST: undefined, KUBERNETES_SERVICE_PORT: undefined },
    });
    expect(result.status).toBe(2);
    expectOneLineError(result, /no kubeconfig and not in a cluster: .*give --kubeconfig <file>, or --endpoint <url> with --token/);
    expect(result.stderr).not.toMatch(/localhost:8080|discovery-failed/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    await rm(home, { recursive: true, force: true });
  });

  it('a kubeconfig that does not exist, or is not one, is named', async () => {
    const result = await runCli(['sync', '--once', '--out', join(dir, 'table.json'), '--kubeconfig', join(dir, 'nope.yaml')]);
    expect(result.status).toBe(2);
    expectOneLineError(result, /cannot connect: .*nope\.yaml: no such file or directory/);
    const notOne = await runCli(['sync', '--once', '--out', join(dir, 'table.json'), '--kubeconfig', join(dir, 'site.yaml')]);
    expect(notOne.status).toBe(2);
    expectOneLineError(notOne, /cannot connect: .*site\.yaml: not a kubeconfig/);
  });

  it.each([
    [['dev', '--table', 'MISSING'], /MISSING: no such file$/],
    [['dev', '-f', 'SITE', '--wrangler-config', 'MISSING'], /--wrangler-config MISSING: no such file/],
    [['explain', '--table', 'MISSING', 'http://a.example.com/'], /MISSING: no such file$/],
    [['sync', '--once', '--out', 'OUT', '--config', 'MISSING'], /MISSING: no such file/],
  ])('a file that is not there: edgress %j exits 2 naming it', async (args, pattern) => {
    const missing = join(dir, 'missing.file');
    const result = await runCli(args.map((arg) => ({ SITE: dir, MISSING: missing, OUT: join(dir, 't.json') })[arg] ?? arg));
    expect(result.status, result.stderr).toBe(2);
    expectOneLineError(result, new RegExp(pattern.source.replace('MISSING', missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))));
  });

  it.each([
    ['not TOML', 'name = [\n', /--wrangler-config .*broken\.toml: not valid TOML: /],
    ['no main or compatibility_date', 'name = "x"\n[vars]\nTUNNEL_HOSTNAME_TEMPLATE = "{service}-{namespace}.t.example.com"\n', /--wrangler-config .*broken\.toml: main: expected a string.*; compatibility_date: expected a string/],
  ])('a wrangler.toml that is %s: one line naming the file and the key, for dev and tunnel-config', async (_what, text, pattern) => {
    const config = join(dir, 'broken.toml');
    await writeFile(config, text);
    for (const args of [['dev', '-f', dir, '--port', '0', '--wrangler-config', config], ['tunnel-config', '-f', dir, '--wrangler-config', config]]) {
      const result = await runCli(args);
      expect(result.status, result.stderr).toBe(1);
      // The manifests' own diagnostics and summary come first; then the one error line.
      const rest = result.stderr.trimEnd().split('\n').filter((line) => !/^(warning \w|summary: )/.test(line));
      expectOneLineError({ ...result, stderr: rest.join('\n') }, pattern);
      expect(rest, result.stderr).toHaveLength(1);
    }
  });

  it.each([
    [['dev', '-f', 'SITE', '--port', 'PORT'], '--port'],
    [['dev', '-f', 'SITE', '--port', '0', '--inspector-port', 'PORT'], '--inspector-port'],
    [['sync', '--out', 'OUT', '--metrics-port', 'PORT', '--metrics-address', '127.0.0.1'], '--metrics-port'],
  ])('a port in use: edgress %j exits 1 naming the port and %s', async (args, flag) => {
    const taken = await occupy();
    try {
      const result = await runCli(args.map((arg) => ({ SITE: dir, PORT: String(taken.port), OUT: join(dir, 't.json') })[arg] ?? arg));
      expect(result.status, result.stderr).toBe(1);
      expectOneLineError(result, new RegExp(`port ${taken.port} on 127\\.0\\.0\\.1 is already in use: .*choose another port with ${flag} <n>`));
    } finally {
      await taken.close();
    }
  });
});

describe('tunnel-config hostname collisions', () => {
  it('names the colliding Services and a template that separates them, which then works', async () => {
    const manifests = await tempDir({
      'two.yaml': toYaml([ingress('one', 'a-b', 'c'), service('a-b', 'c'), ingress('two', 'a', 'b-c'), service('a', 'b-c')]),
    });
    const collided = await runCli(['tunnel-config', '-f', manifests, '--hostname-template', '{service}-{namespace}.tunnel.example.com']);
    expect(collided.status).toBe(1);
    expect(collided.stderr).toMatch(/^error: Service (c\/a-b|b-c\/a) port 80 and Service (c\/a-b|b-c\/a) port 80 would share the tunnel hostname a-b-c\.tunnel\.example\.com$/m);
    const hint = /--hostname-template '([^']+)'/.exec(collided.stderr)?.[1];
    expect(hint).toBeDefined();
    const fixed = await runCli(['tunnel-config', '-f', manifests, '--hostname-template', hint ?? '']);
    expect(fixed.status, fixed.stderr).toBe(0);
    const hostnames = [...fixed.stdout.matchAll(/hostname: (\S+)/g)].map((match) => match[1]);
    expect(new Set(hostnames).size).toBe(2);
    await rm(manifests, { recursive: true, force: true });
  });

  it('two ports of one Service: the hint adds {port}', async () => {
    const twoPorts = { ...service('web', 'shop'), spec: { ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 8080 }] } };
    const site = ingress('site', 'web', 'shop');
    const admin = { ...ingress('admin', 'web', 'shop'), spec: { rules: [{ host: 'admin.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] } }] } };
    const manifests = await tempDir({ 'web.yaml': toYaml([site, admin, twoPorts]) });
    const collided = await runCli(['tunnel-config', '-f', manifests, '--hostname-template', '{service}-{namespace}.tunnel.example.com']);
    expect(collided.status).toBe(1);
    expect(collided.stderr).toContain("--hostname-template '{service}-{port}-{namespace}.tunnel.example.com'");
    const fixed = await runCli(['tunnel-config', '-f', manifests, '--hostname-template', '{service}-{port}-{namespace}.tunnel.example.com']);
    expect(fixed.status, fixed.stderr).toBe(0);
    await rm(manifests, { recursive: true, force: true });
  });
});

describe('edgress dev --watch', { timeout: 60_000 }, () => {
  it('prints each diagnostic once per change', async () => {
    const watched = await tempDir({ 'site.yaml': toYaml([ingress('site', 'web'), service('web')]) });
    const dev = await startDev(['-f', watched, '--watch']);
    try {
      const count = () => dev.output().split('ServiceNotFound').length - 1;
      await writeFile(join(watched, 'broken.yaml'), toYaml([ingress('broken', 'nowhere')]));
      await dev.waitFor(/reloaded, 2 routes/);
      // Longer than the poll interval (1 s): a second report would have come by now.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(count()).toBe(1);
      await writeFile(join(watched, 'broken.yaml'), toYaml([ingress('broken', 'nowhere'), ingress('other', 'nowhere')]));
      await dev.waitFor(/reloaded, 3 routes/);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(count()).toBe(3);
    } finally {
      await dev.stop();
      await rm(watched, { recursive: true, force: true });
    }
  });
});
