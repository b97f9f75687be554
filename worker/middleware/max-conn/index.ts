/**
 * `max-conn`: at most `amount` requests in flight per extractor value,
 * counted **per isolate**: a request counts from when it enters this step
 * until its response body has been sent (or the client went away); beyond
 * the amount, 429 `max connections reached: <amount>`.
 *
 * Per isolate is the honest meaning at the edge: concurrency is a property
 * of the connections one proxy holds, Traefik counted per instance, and an
 * edge-wide count would cost a Durable Object round trip at both ends of
 * every request and leak counts whenever an isolate is evicted mid-request.
 * Counts are kept per route id, so they survive table reloads.
 */
import { extractKey } from '../extract.ts';
import { tooManyConnectionsResponse } from '../../traffic/responses.ts';
import type { MiddlewareFactory } from '../types.ts';

const inFlight = new Map<string, Map<string, number>>();

export const maxConn: MiddlewareFactory<'max-conn'> = (config) => {
  const { amount, extractor } = config;
  return async function limitConnections(context, next) {
    let counts = inFlight.get(context.route.router.id);
    if (!counts) inFlight.set(context.route.router.id, (counts = new Map()));
    const key = extractKey(context, extractor);
    const current = counts.get(key) ?? 0;
    if (current >= amount) return tooManyConnectionsResponse(amount);
    counts.set(key, current + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (counts.get(key) ?? 1) - 1;
      if (left > 0) counts.set(key, left);
      else counts.delete(key);
    };
    try {
      return whenBodyDone(await next(), release);
    } catch (error) {
      release();
      throw error;
    }
  };
};

/** The response with `done` called once its body has been read to the end, failed or been cancelled. */
export function whenBodyDone(response: Response, done: () => void): Response {
  if (!response.body || response.webSocket) {
    done();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          done();
          controller.close();
        } else controller.enqueue(chunk.value);
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
  return new Response(body, response);
}
