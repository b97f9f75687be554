/**
 * Where `edgress dev` reads the soak's cluster from, and how a generation is
 * applied to it:
 *
 * - `cluster` (the default): the test Kubernetes API server (`test/kube`),
 *   watched by the sync agent inside `edgress dev --kubeconfig`. A generation
 *   is a stream of API writes: Ingresses deleted, updated and created, api's
 *   EndpointSlice replaced, Ingress `app` last.
 * - `files`: `edgress dev -f <dir> --watch` on one manifest file, rewritten
 *   atomically per generation.
 */
import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../e2e/harness/edgress.ts';
import { toYaml } from '../e2e/harness/manifests.ts';
import type { Pod } from '../e2e/harness/pods.ts';
import { TestApiServer } from '../kube/api-server.ts';
import type { StoredObject } from '../kube/store.ts';
import { ingressObjects, secretObject, serviceObjectsOf, type Generation } from './scenario.ts';

export type SourceKind = 'cluster' | 'files';

export interface SoakSource {
  /** Arguments that make `edgress dev` serve this source. */
  readonly devArgs: readonly string[];
  /** Applies the generation; resolves with the number of writes it took (API requests or files). */
  apply(generation: Generation, previous: Generation): Promise<number>;
  close(): Promise<void>;
}

export function startSource(kind: SourceKind, pods: readonly Pod[], first: Generation): Promise<SoakSource> {
  return kind === 'cluster' ? clusterSource(pods, first) : fileSource(pods, first);
}

async function clusterSource(pods: readonly Pod[], first: Generation): Promise<SoakSource> {
  const api = await TestApiServer.start();
  for (const object of [...serviceObjectsOf(pods, first), secretObject(), ...ingressObjects(first)]) api.apply(object);
  const sliceOf = (generation: Generation) => serviceObjectsOf(pods, generation).find((object) => object.kind === 'EndpointSlice' && object.metadata.name.startsWith('api-'));
  return {
    devArgs: ['--kubeconfig', api.kubeconfig],
    async apply(generation, previous) {
      const wanted = new Set(ingressObjects(generation).map((object) => object.metadata.name));
      const removed = ingressObjects(previous).filter((object) => !wanted.has(object.metadata.name));
      for (const object of removed) api.remove('Ingress', 'default', object.metadata.name);
      const slice = sliceOf(generation) as StoredObject;
      const sliceChanged = JSON.stringify(slice) !== JSON.stringify(sliceOf(previous));
      if (sliceChanged) api.apply(slice);
      // ingressObjects puts app last: seeing it served means the rest of the generation is in force.
      const ingresses = ingressObjects(generation);
      for (const object of ingresses) api.apply(object);
      return removed.length + ingresses.length + (sliceChanged ? 1 : 0);
    },
    close: () => api.close(),
  };
}

async function fileSource(pods: readonly Pod[], first: Generation): Promise<SoakSource> {
  const manifests = (generation: Generation) => toYaml([...serviceObjectsOf(pods, generation), secretObject(), ...ingressObjects(generation)]);
  const dir = await tempDir({ 'cluster.yaml': manifests(first) });
  return {
    devArgs: ['-f', dir, '--watch'],
    async apply(generation) {
      // Written beside and renamed over, so the watcher never reads half a file.
      const path = join(dir, 'cluster.yaml');
      const temporary = `${path}.${randomUUID()}.tmp`;
      await writeFile(temporary, manifests(generation));
      await rename(temporary, path);
      return 1;
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
