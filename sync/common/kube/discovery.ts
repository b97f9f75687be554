/**
 * What the API server serves: whether `discovery.k8s.io/v1` EndpointSlices
 * exist (Kubernetes ≥ 1.21), else the agent watches Endpoints.
 *
 * @example
 * ```ts
 * const endpointSlices = await servesEndpointSlices(client);
 * ```
 */
import type { KubeClient } from './client.ts';
import { statusOf } from './errors.ts';

export async function servesEndpointSlices(client: Pick<KubeClient, 'getJson'>): Promise<boolean> {
  try {
    const list = (await client.getJson('/apis/discovery.k8s.io/v1')) as { resources?: { name?: unknown }[] };
    return (list.resources ?? []).some((resource) => resource.name === 'endpointslices');
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}
