/**
 * Discovery documents: `/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`
 * and `/version`, listing only the resource types this server serves (so a
 * server without EndpointSlices answers 404 for `discovery.k8s.io/v1`, and one
 * without the Gateway API CRDs leaves `gateway.networking.k8s.io` out).
 */
import { versionsOf, type ResourceType } from './resources.ts';

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export function discovery(pathname: string, served: readonly ResourceType[]): [number, unknown] {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/version') return [200, { major: '1', minor: '31', gitVersion: 'v1.31.0-edgress-test' }];
  if (path === '/api') return [200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] }];
  if (path === '/apis') return [200, groupList(served)];
  const groupVersion = path.startsWith('/api/') ? path.slice('/api/'.length) : path.slice('/apis/'.length);
  const types = served.filter((type) => versionsOf(type).some((version) => (type.group === '' ? version : `${type.group}/${version}`) === groupVersion));
  if ((path.startsWith('/api/') || path.startsWith('/apis/')) && types.length > 0) {
    return [200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: types.flatMap(resourceEntries) }];
  }
  return [404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 }];
}

function groupList(served: readonly ResourceType[]): object {
  const groups = [...new Set(served.filter((type) => type.group !== '').map((type) => type.group))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((name) => {
      const versions = [...new Set(served.filter((type) => type.group === name).flatMap(versionsOf))].sort(byPreference).map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions, preferredVersion: versions[0] };
    }),
  };
}

function resourceEntries(type: ResourceType): object[] {
  const entry = { name: type.plural, singularName: type.kind.toLowerCase(), namespaced: type.namespaced, kind: type.kind, verbs: VERBS };
  return type.status ? [entry, { name: `${type.plural}/status`, singularName: '', namespaced: type.namespaced, kind: type.kind, verbs: ['get', 'patch', 'update'] }] : [entry];
}

/** `v1` before `v1beta1` before `v1alpha1`, as kube-apiserver orders a group's versions. */
function byPreference(a: string, b: string): number {
  const rank = (version: string) => (version.includes('alpha') ? 2 : version.includes('beta') ? 1 : 0);
  return rank(a) - rank(b) || a.localeCompare(b);
}
