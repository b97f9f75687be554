/**
 * `edgress dev`'s `STATS` binding. Miniflare's Analytics Engine binding drops
 * every write, so dev binds its own: a small worker whose RPC method
 * `writeDataPoint(point)` posts the point to a Node function, which records
 * it (`../stats/local-recorder.ts`). The edge worker calls it exactly as it
 * calls Analytics Engine's binding, with the same data point; the promise the
 * RPC returns goes to `waitUntil` (`worker/base/stats.ts`), so recording never
 * holds a response back.
 *
 * @example
 * ```ts
 * new Miniflare({ workers: [edgeWorker({ serviceBindings: statsServiceBinding() }), statsRecorderWorker((point) => recorder.record(point))] });
 * ```
 */

export const STATS_RECORDER_WORKER = 'edgress-dev-stats';
const ENTRYPOINT = 'StatsRecorder';

const SCRIPT = `
import { WorkerEntrypoint } from 'cloudflare:workers';
export class ${ENTRYPOINT} extends WorkerEntrypoint {
  async writeDataPoint(point) {
    const response = await this.env.SINK.fetch('http://stats.invalid/', { method: 'POST', body: JSON.stringify(point) });
    await response.body?.cancel();
  }
}
export default { fetch: () => new Response('not found', { status: 404 }) };
`;

/** The edge worker's `STATS` service binding to the recorder's entrypoint. */
export function statsServiceBinding(): Record<string, { name: string; entrypoint: string }> {
  return { STATS: { name: STATS_RECORDER_WORKER, entrypoint: ENTRYPOINT } };
}

/** The recorder worker's Miniflare options; `record` gets each data point as the edge worker wrote it. */
export function statsRecorderWorker(record: (point: unknown) => void, compatibilityDate: string) {
  return {
    name: STATS_RECORDER_WORKER,
    modules: true,
    script: SCRIPT,
    compatibilityDate,
    serviceBindings: {
      SINK: async (request: Request) => {
        try {
          record(await request.json());
        } catch {
          // A malformed point is dropped, as Analytics Engine would refuse it.
        }
        return new Response(null, { status: 204 });
      },
    },
  };
}
