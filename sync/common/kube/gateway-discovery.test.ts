import { describe, expect, it } from 'vitest';
import { KubeRequestError } from './errors.ts';
import { sameResources, servedGatewayApi } from './gateway-discovery.ts';

/** Discovery answers by group version; anything else is a 404, as kube-apiserver answers for a group that is not installed. */
function discovery(answers: Record<string, string[]>, failWith?: number) {
  return {
    async getJson(path: string) {
      if (failWith) throw new KubeRequestError(failWith, `GET ${path}: HTTP ${failWith}`);
      const plurals = answers[path.replace('/apis/gateway.networking.k8s.io/', '')];
      if (!plurals) throw new KubeRequestError(404, `GET ${path}: HTTP 404`);
      return { resources: plurals.flatMap((name) => [{ name }, { name: `${name}/status` }]) };
    },
  };
}

const kinds = async (answers: Record<string, string[]>) => (await servedGatewayApi(discovery(answers))).map((resource) => `${resource.kind} ${resource.apiVersion}`);

describe('servedGatewayApi', () => {
  it('is empty without the CRDs', async () => {
    expect(await kinds({})).toEqual([]);
  });

  it('watches each kind at the newest version served: v1, else v1beta1 (ReferenceGrant in older releases)', async () => {
    expect(await kinds({ v1: ['gatewayclasses', 'gateways', 'httproutes'], v1beta1: ['gatewayclasses', 'gateways', 'httproutes', 'referencegrants'] })).toEqual([
      'GatewayClass gateway.networking.k8s.io/v1',
      'Gateway gateway.networking.k8s.io/v1',
      'HTTPRoute gateway.networking.k8s.io/v1',
      'ReferenceGrant gateway.networking.k8s.io/v1beta1',
    ]);
    expect(await kinds({ v1beta1: ['gateways', 'httproutes'] })).toEqual(['Gateway gateway.networking.k8s.io/v1beta1', 'HTTPRoute gateway.networking.k8s.io/v1beta1']);
  });

  it('rejects on other failures, so the caller keeps what it watches', async () => {
    await expect(servedGatewayApi(discovery({}, 503))).rejects.toMatchObject({ code: 503 });
  });

  it('sameResources compares kinds and versions, not order', async () => {
    const a = await servedGatewayApi(discovery({ v1: ['gateways', 'httproutes'] }));
    const b = await servedGatewayApi(discovery({ v1: ['httproutes', 'gateways'] }));
    const beta = await servedGatewayApi(discovery({ v1beta1: ['gateways', 'httproutes'] }));
    expect(sameResources(a, [...b].reverse())).toBe(true);
    expect(sameResources(a, beta)).toBe(false);
  });
});
