/**
 * `buffering` (Traefik 1.7, oxy `buffer`), only on routes whose Service asks
 * for it:
 * - the request body is read into memory before anything is sent: a
 *   `Content-Length` over `maxrequestbodybytes`, or a body growing past it,
 *   answers 413 once the rest of the body is read and dropped. With no maximum the edge still stops at
 *   {@link EDGE_BUFFER_LIMIT} (an isolate has 128 MB for all its requests);
 * - `retryexpression` replaces the forwarder's retry policy, and the bytes
 *   are sent again to another endpoint on each retry;
 * - `maxresponsebodybytes`: a response announcing a larger `Content-Length`
 *   answers 500; a body that grows past it is cut there (Traefik dropped the
 *   rest). Responses are not held back otherwise: they stream.
 * `memrequestbodybytes`/`memresponsebodybytes` chose where oxy spilled to
 * disk; the edge has no disk, so they have no effect.
 */
import { edgeResponse } from '../../base/errors.ts';
import { tooLargeResponse } from '../../traffic/responses.ts';
import { expressionRetry } from '../../traffic/retry.ts';
import type { MiddlewareFactory } from '../types.ts';

/** The most the edge buffers of one request body when no maximum is set (16 MiB). */
export const EDGE_BUFFER_LIMIT = 16 * 1024 * 1024;

export const buffering: MiddlewareFactory<'buffering'> = (config) => {
  const limit = config.maxRequestBodyBytes > 0 ? Math.min(config.maxRequestBodyBytes, EDGE_BUFFER_LIMIT) : EDGE_BUFFER_LIMIT;
  const retry = config.retry && expressionRetry(config.retry.predicate);
  const maxResponse = config.maxResponseBodyBytes;
  return async function bufferBodies(context, next) {
    const declared = Number(context.request.headers.get('content-length') ?? '');
    if (declared > limit) return refused(context.body);
    if (context.body instanceof ReadableStream) {
      const bytes = await readUpTo(context.body, limit);
      if (!bytes) return refused(context.body);
      context.body = bytes;
    }
    if (retry) context.retry = retry;
    const response = await next();
    if (maxResponse === 0) return response;
    if (Number(response.headers.get('content-length') ?? '') > maxResponse) {
      await response.body?.cancel();
      return edgeResponse(500);
    }
    return response.body ? new Response(cutAt(response.body, maxResponse), response) : response;
  };
};

/** The most of a refused body the edge reads and drops before answering 413 (16 MiB). */
const DISCARD_LIMIT = 16 * 1024 * 1024;

/**
 * 413, after reading and dropping the rest of the body (up to
 * {@link DISCARD_LIMIT}), as nginx discards a refused body: a client still
 * sending gets the 413 rather than a reset connection.
 */
async function refused(body: unknown): Promise<Response> {
  if (body instanceof ReadableStream && !body.locked) await discardUpTo(body.getReader(), DISCARD_LIMIT);
  return tooLargeResponse();
}

async function discardUpTo(reader: ReadableStreamDefaultReader, limit: number): Promise<void> {
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value instanceof Uint8Array ? value.byteLength : (value as ArrayBuffer).byteLength;
      if (size > limit) break;
    }
    await reader.cancel();
  } catch {
    // A client that went away needs no answer.
  }
}

/** The whole stream, or undefined (the rest dropped) as soon as it passes `limit` bytes. */
async function readUpTo(stream: ReadableStream, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer);
    size += chunk.byteLength;
    if (size > limit) {
      await discardUpTo(reader, DISCARD_LIMIT);
      return undefined;
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The stream, ending after `max` bytes. */
function cutAt(stream: ReadableStream<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  let sent = 0;
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      const room = max - sent;
      sent += value.byteLength;
      if (value.byteLength < room) return controller.enqueue(value);
      if (room > 0) controller.enqueue(value.subarray(0, room));
      controller.close();
      await reader.cancel();
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
