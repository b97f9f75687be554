/**
 * A small cluster for the dashboard tests, served by `edgress dev
 * --dashboard-port`: shop.example.com (`/` and `/api`, two Services),
 * notes.example.com whose response-header annotation holds markup, and an
 * Ingress whose `rule-type` annotation holds `<script>` (a diagnostic that
 * quotes it).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startDev, tempDir, type DevProcess } from './edgress.ts';
import { freePort } from './free-port.ts';
import { serviceObjects, toYaml } from './manifests.ts';
import { startPods, type PodSet } from './pods.ts';

export const SCRIPT_ANNOTATION = '<script>window.__edgressPwned = 1</script>';
export const MARKUP_HEADER = '<img src=x onerror="window.__edgressPwned = 2">';

export interface DashboardCluster {
  readonly dev: DevProcess;
  readonly dashboard: URL;
  readonly pods: PodSet;
  stop(): Promise<void>;
}

function ingress(name: string, host: string, paths: readonly { path: string; service: string; pathType?: string }[], annotations: Record<string, string> = {}): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      rules: [{ host, http: { paths: paths.map((p) => ({ path: p.path, pathType: p.pathType ?? 'Prefix', backend: { service: { name: p.service, port: { number: 8080 } } } })) } }],
    },
  };
}

export async function startDashboardCluster(): Promise<DashboardCluster> {
  const pods = await startPods({ web: 2, api: 1 });
  const objects = [
    ...serviceObjects('web', pods.pods),
    ...serviceObjects('api', pods.pods),
    ingress('shop', 'shop.example.com', [{ path: '/', service: 'web' }, { path: '/api', service: 'api' }]),
    ingress('notes', 'notes.example.com', [{ path: '/', service: 'web' }], { 'ingress.kubernetes.io/custom-response-headers': `X-Note: ${MARKUP_HEADER}` }),
    ingress('evil', 'evil.example.com', [{ path: '/', service: 'web' }], { 'traefik.ingress.kubernetes.io/rule-type': SCRIPT_ANNOTATION }),
  ];
  const dir = await tempDir({ 'cluster.yaml': toYaml(objects) });
  const port = await freePort();
  let dev: DevProcess;
  try {
    dev = await startDev(['-f', join(dir, 'cluster.yaml'), '--watch', '--dashboard-port', String(port)]);
    await dev.waitFor(/dashboard on http:\/\/\S+/);
  } catch (error) {
    await pods.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const dashboard = new URL(/dashboard on (http:\/\/\S+)/.exec(dev.output())![1]!);
  return {
    dev,
    dashboard,
    pods,
    stop: async () => {
      await dev.stop();
      await pods.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it passes (the worker records a data point just after answering). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
