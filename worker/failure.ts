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
