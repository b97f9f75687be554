/**
 * The cold-start baseline: the same I/O as the edge worker's first request
 * (pointer, manifest and the host's shards read from KV, one upstream fetch)
 * and nothing else, so the difference from the real worker is our own work.
 */
import { bucketOf, POINTER_KEY } from '../src/storage/layout.ts';

interface Env {
  readonly TABLE: { get(key: string): Promise<string | null> };
  readonly UPSTREAM: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const host = request.headers.get('host') ?? '';
    const pointer = await env.TABLE.get(POINTER_KEY);
    const manifestText = await env.TABLE.get(pointerManifest(pointer));
    const { buckets, anyHost } = manifestOf(manifestText);
    await Promise.all([env.TABLE.get(buckets[bucketOf(host, buckets.length)] ?? ''), anyHost ? env.TABLE.get(anyHost) : null]);
    return fetch(env.UPSTREAM);
  },
};

// Only the keys are picked out (by string search, not JSON.parse), so parsing stays on the measured side.
function pointerManifest(pointer: string | null): string {
  return /"manifest":"([^"]+)"/.exec(pointer ?? '')?.[1] ?? '';
}

function manifestOf(text: string | null): { buckets: (string | null)[]; anyHost: string | null } {
  const buckets = /"buckets":\[([^\]]*)\]/.exec(text ?? '')?.[1]?.split(',').map((entry) => (entry === 'null' ? null : entry.slice(1, -1))) ?? [];
  const anyHost = /"anyHost":"([^"]+)"/.exec(text ?? '')?.[1] ?? null;
  return { buckets, anyHost };
}
