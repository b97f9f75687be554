import { describe, expect, it } from 'vitest';
import { echoOf, expectEdgeText, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

const from = (client: string) => send(`http://${THROUGH_HOST}/x`, { headers: { 'CF-Connecting-IP': client } });

describe('ip-allow-list', () => {
  it('lets clients in range through and answers 403 to the others', async () => {
    await publishThrough({ office: { kind: 'ip-allow-list', ranges: ['10.0.0.0/8'], useXForwardedFor: false } });
    expect((await echoOf(await from('10.1.2.3'))).url).toBe('/x');
    await expectEdgeText(await from('11.0.0.1'), 403, 'Forbidden');
  });

  it('as a deny list, turns the ranges away and lets the others through', async () => {
    await publishThrough({ blocked: { kind: 'ip-allow-list', deny: true, ranges: ['10.0.0.0/8'], useXForwardedFor: false } });
    await expectEdgeText(await from('10.1.2.3'), 403, 'Forbidden');
    expect((await echoOf(await from('11.0.0.1'))).url).toBe('/x');
  });

  it('never reads X-Forwarded-For unless told to', async () => {
    await publishThrough({ office: { kind: 'ip-allow-list', ranges: ['10.0.0.0/8'], useXForwardedFor: false } });
    await expectEdgeText(await send(`http://${THROUGH_HOST}/x`, { headers: { 'CF-Connecting-IP': '11.0.0.1', 'X-Forwarded-For': '10.1.2.3' } }), 403, 'Forbidden');
  });
});
