/**
 * `--dry-run` with a Workers KV target: the publisher reads what is in force
 * and prints what it would write, and the namespace is left as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudflareKvPublisher } from '../../sync/publish/cloudflare/kv-publisher.ts';
import { DryRunPublisher } from '../../sync/publish/dry-run-publisher.ts';
import type { CloudflareApiStandIn } from './api-server.ts';
import { connect, InstantClock, NAMESPACE, startStandIn, tableWith } from './helpers.ts';

let api: CloudflareApiStandIn;
let clock: InstantClock;

beforeEach(async () => {
  api = await startStandIn();
  clock = new InstantClock();
});
afterEach(() => api.close());

describe('DryRunPublisher over Workers KV', () => {
  it('prints the values and pointer it would write, and writes nothing', async () => {
    const kv = new CloudflareKvPublisher({ kv: connect(api, clock).namespace(NAMESPACE), clock });
    const inForce = await kv.publish(tableWith(['a.example.com']));
    const before = new Map(api.values(NAMESPACE));
    const mark = api.requests.length;
    const lines: string[] = [];
    const dryRun = new DryRunPublisher((table) => kv.preview(table), (line) => lines.push(line));
    const outcome = await dryRun.publish(tableWith(['a.example.com', 'b.example.com']));
    expect(outcome).toMatchObject({ changed: true, valuesWritten: 0 });
    expect(outcome.version).not.toBe(inForce.version);
    expect(lines.join('\n')).toContain(`edgress/current → version ${outcome.version} (2 routes; in force now: ${inForce.version})`);
    expect(api.values(NAMESPACE)).toEqual(before);
    const writes = api.requests.slice(mark).filter((request) => request.method === 'PUT' || request.method === 'DELETE' || request.path.endsWith('/bulk/delete'));
    expect(writes).toEqual([]);
    const same = await dryRun.publish(tableWith(['a.example.com']));
    expect(same).toMatchObject({ changed: false, version: inForce.version });
    expect(lines.at(-1)).toContain('kv unchanged');
  });
});
