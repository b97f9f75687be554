/**
 * The edge worker wrapped for the cold-start benchmark: it reports how long
 * its modules took to evaluate and how long its first request took, in
 * response headers of that first request only.
 */
import { evaluationStarted } from './cold-mark.ts';
import worker from '../worker/index.ts';

const evaluationMs = performance.now() - evaluationStarted;
let first = true;

export default {
  async fetch(request: Request, env: never, ctx: never): Promise<Response> {
    const started = performance.now();
    const response = await worker.fetch(request, env, ctx);
    if (!first) return response;
    first = false;
    const headers = new Headers(response.headers);
    headers.set('x-bench-evaluation-ms', String(evaluationMs));
    headers.set('x-bench-first-request-ms', String(performance.now() - started));
    return new Response(response.body, { status: response.status, headers });
  },
};
