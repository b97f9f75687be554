/**
 * Which Gateway API resources the API server serves, and at which version:
 * the group exists only where its CRDs are installed, and a cluster may
 * serve v1, v1beta1 or both (ReferenceGrant was v1beta1 long after the
 * others reached v1). Each kind is watched at the newest version served;
 * none of it served: an empty list, and the agent serves Ingresses alone.
 *
 * @example
 * ```ts
 * const resources = await servedGatewayApi(client); // [] without the CRDs
 * ```
 */
import type { KubeClient } from './client.ts';
import { statusOf } from './errors.ts';
import { GATEWAY_API_GROUP, GATEWAY_API_RESOURCES, type WatchedResource } from './resources.ts';

/** Newest first: the first version listing a kind is the one watched. */
const VERSIONS = ['v1', 'v1beta1'] as const;

export async function servedGatewayApi(client: Pick<KubeClient, 'getJson'>): Promise<WatchedResource[]> {
  const served = new Map<string, string>();
  for (const version of VERSIONS) {
    for (const plural of await pluralsAt(client, `${GATEWAY_API_GROUP}/${version}`)) if (!served.has(plural)) served.set(plural, version);
  }
  return GATEWAY_API_RESOURCES.flatMap((resource) => {
    const version = served.get(resource.plural);
    return version ? [{ ...resource, apiVersion: `${GATEWAY_API_GROUP}/${version}` }] : [];
  });
}

/** Same kinds at the same versions: nothing to restart. */
export function sameResources(a: readonly WatchedResource[], b: readonly WatchedResource[]): boolean {
  const key = (list: readonly WatchedResource[]) => list.map((resource) => `${resource.apiVersion}/${resource.plural}`).sort().join(',');
  return key(a) === key(b);
}

async function pluralsAt(client: Pick<KubeClient, 'getJson'>, groupVersion: string): Promise<string[]> {
  try {
    const list = (await client.getJson(`/apis/${groupVersion}`)) as { resources?: { name?: unknown }[] };
    return (list.resources ?? []).flatMap((resource) => (typeof resource.name === 'string' && !resource.name.includes('/') ? [resource.name] : []));
  } catch (error) {
    if (statusOf(error) === 404) return [];
    throw error;
  }
}
