/**
 * Everything under deploy/: every YAML document parses and is of a kind we
 * mean to ship; the kustomizations name files that exist and cover every
 * manifest; RBAC is exactly what the agent needs (no wildcards); the agent's
 * flags in the manifests are flags of its `--help`; pods run non-root on a
 * read-only root filesystem; the image definition is multi-stage and non-root.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { loadAll } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, DEFAULT_CONTROLLER_NAME } from '../../src/compile/index.ts';
import { REPO, runCli } from '../e2e/harness/edgress.ts';

const DEPLOY = join(REPO, 'deploy');

/** Parsed YAML, checked field by field. */
type Doc = Record<string, any>;
interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }[];
  livenessProbe?: Doc;
  readinessProbe?: Doc;
  resources?: Doc;
  securityContext?: Doc;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith('.yaml') ? [path] : [];
  });
}

const files = yamlFiles(DEPLOY);
const docs = new Map(files.map((file) => [relative(DEPLOY, file), loadAll(readFileSync(file, 'utf8')) as Doc[]]));
const all = [...docs.values()].flat();
const ofKind = (kind: string) => all.filter((doc) => doc['kind'] === kind);
const named = (kind: string, name: string) => ofKind(kind).find((doc) => doc['metadata']?.['name'] === name);

/** The resources a kustomization directory applies, files expanded, bases followed. */
function kustomize(dir: string): Doc[] {
  const kustomization = docs.get(relative(DEPLOY, join(dir, 'kustomization.yaml')))?.[0];
  expect(kustomization, `${dir}/kustomization.yaml`).toBeDefined();
  return (kustomization!['resources'] as string[]).flatMap((resource) => {
    const path = join(dir, resource);
    expect(existsSync(path), `${relative(DEPLOY, dir)}: ${resource}`).toBe(true);
    return statSync(path).isDirectory() ? kustomize(path) : (docs.get(relative(DEPLOY, path)) ?? []);
  });
}

const podSpec = (doc: Doc): Doc => (doc['kind'] === 'CronJob' ? doc['spec']['jobTemplate']['spec']['template']['spec'] : doc['spec']['template']['spec']);
const containers = (doc: Doc): Container[] => podSpec(doc)['containers'];

const KINDS = new Set(['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ConfigMap', 'Secret', 'Deployment', 'CronJob', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'Kustomization', 'IngressClass']);

describe('deploy/', () => {
  it('holds only known kinds, each with apiVersion and a name', () => {
    expect(files.length).toBeGreaterThan(5);
    for (const doc of all) {
      expect(KINDS, JSON.stringify(doc).slice(0, 80)).toContain(doc['kind']);
      expect(doc['apiVersion']).toBeTruthy();
      if (doc['kind'] !== 'Kustomization') expect(doc['metadata']?.['name']).toBeTruthy();
    }
  });

  it('is Kustomize-ready: the default applies a Deployment, cronjob/ a CronJob, and every manifest but the Secret template is used', () => {
    const deployment = kustomize(DEPLOY);
    const cronjob = kustomize(join(DEPLOY, 'cronjob'));
    expect(deployment.filter((doc) => doc['kind'] === 'Deployment').map((doc) => doc['metadata']['name']).sort()).toEqual(['cloudflared', 'edgress-agent']);
    expect(cronjob.filter((doc) => doc['kind'] === 'Deployment').map((doc) => doc['metadata']['name'])).toEqual(['cloudflared']);
    expect(cronjob.filter((doc) => doc['kind'] === 'CronJob')).toHaveLength(1);
    const used = new Set([...deployment, ...cronjob]);
    const unused = [...docs].filter(([file]) => !file.endsWith('kustomization.yaml')).flatMap(([file, list]) => list.filter((doc) => !used.has(doc)).map(() => file));
    expect([...new Set(unused)]).toEqual(['secret.template.yaml']);
    for (const doc of [...deployment, ...cronjob]) expect(doc['kind']).not.toBe('Secret');
  });

  it("ships an IngressClass for edgress, whose controller is the agent's, and an Ingress of that class is served", () => {
    const classes = kustomize(DEPLOY).filter((doc) => doc['kind'] === 'IngressClass');
    expect(classes.map((doc) => [doc['metadata']['name'], doc['spec']['controller']])).toEqual([['edgress', DEFAULT_CONTROLLER_NAME]]);
    expect(kustomize(join(DEPLOY, 'cronjob')).filter((doc) => doc['kind'] === 'IngressClass')).toHaveLength(1);
    const ingress = {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: 'default' },
      spec: { ingressClassName: 'edgress', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    };
    // The agent's defaults: no --ingress-class, the default --controller-name.
    expect(compile([...classes, ingress], {}).served).toEqual(['default/shop']);
    expect(compile([...classes, ingress], { ingressClass: 'other' }).served).toEqual(['default/shop']);
  });

  it('grants the agent exactly what it uses: list/watch of the kinds it reads, status patch, Events, its Lease', () => {
    const rules = (kind: string, name: string) =>
      Object.fromEntries(
        (named(kind, name)?.['rules'] as Doc[]).flatMap((rule) => (rule['resources'] as string[]).map((resource) => [`${(rule['apiGroups'] as string[]).join()}/${resource}`, [...rule['verbs']].sort()])),
      );
    expect(rules('ClusterRole', 'edgress-agent')).toEqual({
      'networking.k8s.io/ingresses': ['list', 'watch'],
      'networking.k8s.io/ingressclasses': ['list', 'watch'],
      '/services': ['list', 'watch'],
      '/endpoints': ['list', 'watch'],
      '/secrets': ['list', 'watch'],
      '/configmaps': ['list', 'watch'],
      'discovery.k8s.io/endpointslices': ['list', 'watch'],
      'networking.k8s.io/ingresses/status': ['patch'],
      '/events': ['create', 'get', 'patch'],
      '/namespaces': ['list', 'watch'],
      'gateway.networking.k8s.io/gatewayclasses': ['get', 'list', 'watch'],
      'gateway.networking.k8s.io/gateways': ['get', 'list', 'watch'],
      'gateway.networking.k8s.io/httproutes': ['get', 'list', 'watch'],
      'gateway.networking.k8s.io/referencegrants': ['get', 'list', 'watch'],
      'gateway.networking.k8s.io/gatewayclasses/status': ['patch', 'update'],
      'gateway.networking.k8s.io/gateways/status': ['patch', 'update'],
      'gateway.networking.k8s.io/httproutes/status': ['patch', 'update'],
    });
    expect(rules('Role', 'edgress-agent-leader')).toEqual({ 'coordination.k8s.io/leases': ['create', 'get', 'update'] });
    expect(named('Role', 'edgress-agent-leader')?.['metadata']['namespace']).toBe('edgress');
  });

  it('has no wildcard in any RBAC rule, and binds the roles to the agent only', () => {
    for (const role of [...ofKind('ClusterRole'), ...ofKind('Role')]) {
      for (const rule of role['rules'] as Doc[]) for (const field of ['apiGroups', 'resources', 'verbs']) expect(rule[field], `${role['metadata']['name']}.${field}`).not.toContain('*');
      expect(role['rules'].some((rule: Doc) => 'nonResourceURLs' in rule || 'resourceNames' in rule)).toBe(false);
    }
    for (const binding of [...ofKind('ClusterRoleBinding'), ...ofKind('RoleBinding')]) {
      expect(binding['subjects']).toEqual([{ kind: 'ServiceAccount', name: 'edgress-agent', namespace: 'edgress' }]);
      expect(named(binding['roleRef']['kind'], binding['roleRef']['name'])).toBeDefined();
    }
  });

  describe('the agent', () => {
    let helpFlags: Set<string>;
    beforeAll(async () => {
      const help = await runCli(['sync', '--help']);
      expect(help.status).toBe(0);
      helpFlags = new Set(help.stdout.match(/--[a-z][a-z0-9-]*/g));
    });

    const agents = () => [named('Deployment', 'edgress-agent')!, named('CronJob', 'edgress-sync')!];

    it("runs `sync` with flags of its --help only, and every $(VAR) they use is in the container's environment", () => {
      for (const workload of agents()) {
        const [container] = containers(workload);
        const [subcommand, ...flags] = container!.args ?? [];
        expect(subcommand).toBe('sync');
        for (const flag of flags) expect(helpFlags, `${workload['kind']}: ${flag}`).toContain(flag.split('=')[0]);
        const env = new Set(container!.env?.map((variable) => variable.name));
        for (const [, variable] of flags.join(' ').matchAll(/\$\(([A-Z_]+)\)/g)) expect(env).toContain(variable);
        expect(env).toContain('CLOUDFLARE_API_TOKEN');
        expect(env).toContain('CLOUDFLARE_ACCOUNT_ID');
      }
    });

    it('runs as a two-replica Deployment with leader election and probes on /healthz and /readyz of --metrics-port', () => {
      const deployment = named('Deployment', 'edgress-agent')!;
      expect(deployment['spec']['replicas']).toBe(2);
      const [container] = containers(deployment);
      expect(container!.args).toContain('--leader-elect');
      const port = Number(container!.args!.find((arg) => arg.startsWith('--metrics-port='))?.split('=')[1]);
      const dashboard = Number(container!.args!.find((arg) => arg.startsWith('--dashboard-port='))?.split('=')[1]);
      expect((container as Doc)['ports']).toEqual([{ name: 'metrics', containerPort: port }, { name: 'dashboard', containerPort: dashboard }]);
      expect(container!.livenessProbe?.['httpGet']).toEqual({ path: '/healthz', port: 'metrics' });
      expect(container!.readinessProbe?.['httpGet']).toEqual({ path: '/readyz', port: 'metrics' });
      expect(podSpec(deployment)['serviceAccountName']).toBe('edgress-agent');
    });

    it('attaches Ingress hosts at the edge with the Worker of wrangler.toml and an owner id from the ConfigMap', () => {
      const config = named('ConfigMap', 'edgress-config')?.['data'] as Record<string, string>;
      expect(config['EDGE_HOSTS']).toBe('custom-domains');
      expect(config['WORKER_NAME']).toBe(/^name = "([^"]+)"/m.exec(readFileSync(join(REPO, 'wrangler.toml'), 'utf8'))?.[1]);
      expect(config['OWNER_ID']).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/);
      for (const workload of agents()) {
        const args = containers(workload)[0]!.args ?? [];
        expect(args, workload['kind']).toEqual(expect.arrayContaining(['--edge-hosts=$(EDGE_HOSTS)', '--worker-name=$(WORKER_NAME)', '--owner-id=$(OWNER_ID)']));
      }
    });

    it('keeps the dashboard on the pod\'s loopback, behind no Service (kubectl port-forward reaches it)', () => {
      const [container] = containers(named('Deployment', 'edgress-agent')!);
      expect(container!.args!.some((arg) => arg.startsWith('--dashboard-address'))).toBe(false);
      for (const svc of ofKind('Service')) {
        const ports = (svc['spec']['ports'] as { targetPort?: unknown; port: number }[]).map((p) => p.targetPort ?? p.port);
        expect(ports).not.toContain('dashboard');
        expect(ports).not.toContain(8788);
      }
    });

    it('runs as a CronJob with --once, one run at a time', () => {
      const cronjob = named('CronJob', 'edgress-sync')!;
      expect(containers(cronjob)[0]!.args).toContain('--once');
      expect(cronjob['spec']['concurrencyPolicy']).toBe('Forbid');
    });

    it('reads its token from the Secret of the template, and its settings from the ConfigMap', () => {
      const secretKeys = new Set(ofKind('Secret').flatMap((secret) => Object.keys(secret['stringData']).map((key) => `${secret['metadata']['name']}/${key}`)));
      const configKeys = new Set(Object.keys(named('ConfigMap', 'edgress-config')!['data']));
      for (const workload of [...agents(), named('Deployment', 'cloudflared')!]) {
        for (const variable of containers(workload)[0]!.env ?? []) {
          const secret = variable.valueFrom?.secretKeyRef;
          const config = variable.valueFrom?.configMapKeyRef;
          if (secret) expect(secretKeys).toContain(`${secret.name}/${secret.key}`);
          if (config) expect(configKeys).toContain(config.key);
        }
      }
    });
  });

  it('runs every pod non-root, read-only, without privilege escalation or capabilities, with resource requests', () => {
    for (const workload of [...ofKind('Deployment'), ...ofKind('CronJob')]) {
      const spec = podSpec(workload);
      expect(spec['securityContext']).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      for (const container of containers(workload)) {
        expect(container.securityContext, container.name).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(container.resources?.['requests']?.['cpu'], container.name).toBeTruthy();
        expect(container.resources?.['requests']?.['memory'], container.name).toBeTruthy();
        expect(container.image, container.name).toMatch(/:[\w.-]+$/);
      }
    }
  });

  it('runs cloudflared new enough for Workers VPC, over QUIC, limited by a NetworkPolicy', () => {
    const cloudflared = named('Deployment', 'cloudflared')!;
    const [container] = containers(cloudflared);
    const [year, month] = (/:(\d{4})\.(\d+)\./.exec(container!.image) ?? []).slice(1).map(Number);
    expect(year! * 100 + month!).toBeGreaterThanOrEqual(202507);
    expect(container!.args?.join(' ')).toContain('--protocol quic');
    const policy = ofKind('NetworkPolicy').find((doc) => doc['spec']['podSelector']['matchLabels']['app.kubernetes.io/name'] === 'cloudflared');
    expect(policy?.['spec']['policyTypes']).toEqual(['Ingress', 'Egress']);
    expect(policy?.['spec']['ingress']).toEqual([]);
    const egress = policy?.['spec']['egress'] as Doc[];
    expect(egress.flatMap((rule) => rule['ports'] ?? []).map((port: Doc) => `${port['protocol']}/${port['port']}`).sort()).toEqual(['TCP/443', 'TCP/53', 'TCP/7844', 'UDP/53', 'UDP/7844']);
    expect(egress.some((rule) => rule['to'].some((peer: Doc) => peer['namespaceSelector']?.['matchLabels']?.['edgress.dev/exposed'] === 'true'))).toBe(true);
  });

  it('defines a multi-stage, non-root image that runs the bundled agent', () => {
    const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1]);
    expect(stages).toHaveLength(2);
    expect(stages[1]).toMatch(/^gcr\.io\/distroless\/nodejs24-debian12:nonroot$/);
    expect(dockerfile).toMatch(/^USER 65532:65532$/m);
    expect(dockerfile).toContain('ENTRYPOINT ["/nodejs/bin/node", "--max-semi-space-size=8", "/app/edgress.mjs"]');
    const script = /RUN node (\S+) \/out\/edgress\.mjs/.exec(dockerfile)?.[1];
    expect(existsSync(join(REPO, script!))).toBe(true);
    for (const copied of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) for (const source of copied[1]!.split(' ')) expect(existsSync(join(REPO, source)), source).toBe(true);
    expect(dirname(script!)).toBe('sync/build');
  });
});
