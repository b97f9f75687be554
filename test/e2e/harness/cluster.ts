/**
 * A small cluster for an end-to-end test: echo pods per Service, their
 * Service and EndpointSlice objects and the test's Ingress YAML in a
 * temporary directory, other files (not manifests) in another, and
 * `edgress dev -f <manifests>` serving it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { request, startDev, tempDir, type DevProcess, type Reply, type RequestOptions } from './edgress.ts';
import { serviceObjects, toYaml } from './manifests.ts';
import { startPods, type EchoReply, type PodSet } from './pods.ts';

export interface Cluster {
  readonly dev: DevProcess;
  readonly pods: PodSet;
  readonly dirs: readonly string[];
}

export interface ClusterSpec {
  /** Ingress manifests (and any other objects), YAML. */
  readonly ingresses: string;
  /** Pods per Service name; every Service gets port 8080 named `http`. */
  readonly services: Readonly<Record<string, number>>;
  /** Other files, and the `edgress dev` arguments that use them (given their paths). */
  readonly files?: Readonly<Record<string, string>>;
  readonly devArgs?: (paths: Readonly<Record<string, string>>) => string[];
}

export async function startCluster(spec: ClusterSpec): Promise<Cluster> {
  const pods = await startPods(spec.services);
  const objects = Object.keys(spec.services).flatMap((name) => serviceObjects(name, pods.pods));
  const manifests = await tempDir({ 'ingress.yaml': spec.ingresses, 'services.yaml': toYaml(objects) });
  const files = await tempDir(spec.files ?? {});
  const paths = Object.fromEntries(Object.keys(spec.files ?? {}).map((name) => [name, join(files, name)]));
  const dirs = [manifests, files];
  try {
    const dev = await startDev(['-f', manifests, ...(spec.devArgs?.(paths) ?? [])]);
    return { dev, pods, dirs };
  } catch (error) {
    await pods.close();
    throw error;
  }
}

export async function stopCluster(cluster: Cluster | undefined): Promise<void> {
  if (!cluster) return;
  await cluster.dev.stop();
  await cluster.pods.close();
  for (const dir of cluster.dirs) await rm(dir, { recursive: true, force: true });
}

/**
 * A request for `url` through `edgress dev`: its host is the Host header,
 * and `https:` sends `X-Forwarded-Proto: https`, which edgress dev counts as
 * the edge's TLS.
 */
export function fetchUrl(cluster: Cluster, url: string, options: Omit<RequestOptions, 'host'> = {}): Promise<Reply> {
  const parsed = new URL(url);
  const headers = { ...(parsed.protocol === 'https:' ? { 'x-forwarded-proto': 'https' } : {}), ...options.headers };
  return request(cluster.dev.url, parsed.pathname + parsed.search, { ...options, host: parsed.host, headers });
}

/** What the pod saw, after checking the reply came from a pod. */
export function seen(reply: Reply): EchoReply {
  if (reply.headers['content-type'] !== 'application/json') throw new Error(`not a pod reply: ${reply.status} ${reply.body}`);
  return reply.json<EchoReply>();
}

/** An Ingress of namespace default with one rule (host, path, pathType, Service `web` unless given). */
export function ingress(name: string, annotations: Readonly<Record<string, string>>, host: string, path = '/', options: { pathType?: string; service?: string } = {}): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      rules: [{
        host,
        http: { paths: [{ path, pathType: options.pathType ?? 'ImplementationSpecific', backend: { service: { name: options.service ?? 'web', port: { number: 8080 } } } }] },
      }],
    },
  };
}
