/** Turns anything thrown while serving a request into the response and one log line. */
import { EdgeError, edgeResponse } from './errors.ts';
import { describeError, log } from './log.ts';

export function failureResponse(error: unknown, route?: string): Response {
  if (error instanceof EdgeError) {
    if (error.status >= 500 || error.cause !== undefined) {
      log({ level: 'error', event: 'edge-error', status: error.status, route, cause: describeError(error.cause) });
    }
    return error.toResponse();
  }
  log({ level: 'error', event: 'unexpected-error', route, cause: describeError(error) });
  return edgeResponse(500);
}

/**
 * The inner chain's response, an edge error turned into its response (and log line) here, for
 * middlewares that must see every answer the client gets (error pages, response header edits).
 */
export async function responseOrFailure(route: string, next: () => Promise<Response>): Promise<Response> {
  try {
    return await next();
  } catch (error) {
    if (error instanceof EdgeError) return failureResponse(error, route);
    throw error;
  }
}
