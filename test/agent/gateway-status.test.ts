/**
 * Gateway API status as the agent writes it, through client-node's
 * CustomObjectsApi to the test API server: a compiler report in, the stored
 * status out. Other controllers' route parents are kept, an unchanged report
 * writes nothing, and a condition's lastTransitionTime moves only when its
 * status does.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayCondition, GatewayStatusReport } from '../../src/compile/gateway/report.ts';
import { GatewayStatusUpdater } from '../../sync/agent/gateway-status.ts';
import { kubeWriters } from '../../sync/common/kube/writers.ts';
import type { WatchedObject } from '../../sync/common/kube/watch-event.ts';
import { silentLogger } from '../../sync/common/log.ts';
import { TestApiServer } from '../kube/api-server.ts';
import { GATEWAY_CONTROLLER, gateway, gatewayClass, httpRoute, parentsOf, reasons } from './gateway-objects.ts';
import { ManualClock } from './manual-clock.ts';

let api: TestApiServer;
let updater: GatewayStatusUpdater;
let clock: ManualClock;

const OTHER = { parentRef: { name: 'theirs' }, controllerName: 'example.com/other-controller', conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', lastTransitionTime: '2020-01-01T00:00:00Z' }] };

beforeEach(async () => {
  clock = new ManualClock();
  api = await TestApiServer.start({ gatewayApi: true });
  api.apply(gatewayClass('edgress'));
  api.apply(gateway('edge', [{ name: 'http' }]));
  api.apply(httpRoute('web', { status: { parents: [OTHER] } }));
  const config = new KubeConfig();
  config.loadFromFile(api.kubeconfig);
  const writer = kubeWriters(config).gateway;
  if (!writer) throw new Error('kubeWriters has no Gateway API writer');
  updater = new GatewayStatusUpdater(writer, clock, silentLogger);
});
afterEach(() => api.close());

/** The stored objects, as the agent's cache would hold them. */
const source = {
  find: (kind: string, namespace: string | undefined, name: string) => api.object(kind, namespace, name) as WatchedObject | undefined,
  objects: () => api.objects('HTTPRoute'),
};

const condition = (type: string, status: 'True' | 'False', reason: string, observedGeneration: number): GatewayCondition => ({ type, status, reason, message: `${type} ${reason}`, observedGeneration });

function report(routeAccepted: 'True' | 'False' = 'True', routes = true): GatewayStatusReport {
  return {
    controllerName: GATEWAY_CONTROLLER,
    gatewayClasses: [{ name: 'edgress', conditions: [condition('Accepted', 'True', 'Accepted', 3)] }],
    gateways: [
      {
        namespace: 'default',
        name: 'edge',
        conditions: [condition('Accepted', 'True', 'Accepted', 2), condition('Programmed', 'True', 'Programmed', 2)],
        listeners: [{ name: 'http', supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], attachedRoutes: routeAccepted === 'True' ? 1 : 0, conditions: [condition('Accepted', 'True', 'Accepted', 2)] }],
      },
    ],
    httpRoutes: routes
      ? [
          {
            namespace: 'default',
            name: 'web',
            parents: [
              {
                parentRef: { name: 'edge', namespace: 'default' },
                controllerName: GATEWAY_CONTROLLER,
                conditions: [condition('Accepted', routeAccepted, routeAccepted === 'True' ? 'Accepted' : 'NotAllowedByListeners', 5), condition('ResolvedRefs', 'True', 'ResolvedRefs', 5)],
              },
            ],
          },
        ]
      : [],
  };
}

const statusPatches = () => api.requests.filter((request) => request.verb === 'patch' && request.subresource === 'status').length;
const statusOf = (kind: string, namespace: string | undefined, name: string) => api.object(kind, namespace, name)?.['status'] as Record<string, unknown> | undefined;

describe('GatewayStatusUpdater', () => {
  it('writes GatewayClass, Gateway (with listeners) and our HTTPRoute parent, keeping the other controller’s entry', async () => {
    expect(await updater.update(report(), source)).toEqual({ written: 3, failed: 0 });
    expect(reasons(statusOf('GatewayClass', undefined, 'edgress')?.['conditions'])).toEqual({ Accepted: 'True/Accepted' });
    const gatewayStatus = statusOf('Gateway', 'default', 'edge');
    expect(reasons(gatewayStatus?.['conditions'])).toEqual({ Accepted: 'True/Accepted', Programmed: 'True/Programmed' });
    expect(gatewayStatus?.['listeners']).toEqual([
      { name: 'http', supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], attachedRoutes: 1, conditions: [expect.objectContaining({ type: 'Accepted', observedGeneration: 2, lastTransitionTime: '1970-01-01T00:16:40Z' })] },
    ]);
    const route = api.object('HTTPRoute', 'default', 'web');
    expect(parentsOf(route, 'example.com/other-controller')).toEqual([OTHER]);
    const [ours] = parentsOf(route);
    expect(ours?.['parentRef']).toEqual({ name: 'edge', namespace: 'default' });
    expect(reasons(ours?.['conditions'])).toEqual({ Accepted: 'True/Accepted', ResolvedRefs: 'True/ResolvedRefs' });
    expect(ours?.['conditions']).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Accepted', observedGeneration: 5 })]));
  });

  it('writes nothing when the report says what is stored, and moves lastTransitionTime only for a condition whose status changed', async () => {
    await updater.update(report(), source);
    const patches = statusPatches();
    clock.advance(60_000);
    expect(await updater.update(report(), source)).toEqual({ written: 0, failed: 0 });
    expect(statusPatches()).toBe(patches);
    await updater.update(report('False'), source);
    const times = Object.fromEntries((parentsOf(api.object('HTTPRoute', 'default', 'web'))[0]?.['conditions'] as { type: string; lastTransitionTime: string }[]).map((c) => [c.type, c.lastTransitionTime]));
    expect(times).toEqual({ Accepted: '1970-01-01T00:17:40Z', ResolvedRefs: '1970-01-01T00:16:40Z' });
    expect(reasons(parentsOf(api.object('HTTPRoute', 'default', 'web'))[0]?.['conditions'])['Accepted']).toBe('False/NotAllowedByListeners');
    expect((statusOf('Gateway', 'default', 'edge')?.['listeners'] as { attachedRoutes: number }[])[0]?.attachedRoutes).toBe(0);
  });

  it('removes only our entry from a route that no longer names a Gateway of ours', async () => {
    await updater.update(report(), source);
    expect(parentsOf(api.object('HTTPRoute', 'default', 'web'))).toHaveLength(1);
    await updater.update(report('True', false), source);
    const parents = (statusOf('HTTPRoute', 'default', 'web')?.['parents'] ?? []) as unknown[];
    expect(parents).toEqual([OTHER]);
  });

  it('leaves objects it does not find, and a GatewayClass of another controller, untouched', async () => {
    api.apply(gatewayClass('theirs', 'example.com/other-controller'));
    api.remove('Gateway', 'default', 'edge');
    expect(await updater.update(report(), source)).toEqual({ written: 2, failed: 0 });
    expect(statusOf('GatewayClass', undefined, 'theirs')).toBeUndefined();
  });
});
