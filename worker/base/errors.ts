/**
 * The edge's own failures: `EdgeError`, the short `text/plain` responses the
 * edge generates itself (fixed text, never client input; Traefik 1.7's texts
 * where it has one), and `failureResponse`, which turns anything thrown while
 * serving a request into its response and one log line.
 */
import { describeError, log } from './log.ts';


/** Body text per status the edge answers with. */
export const EDGE_TEXT = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: '404 page not found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
} as const;
export type EdgeStatus = keyof typeof EDGE_TEXT;

/** Text of the 503 answered while no routing table has ever loaded. */
export const NO_TABLE_TEXT = 'no routing table is loaded';

/** A short plain-text response; `text` must be a constant of this file, never request data. */
export function edgeResponse(status: EdgeStatus, text: string = EDGE_TEXT[status]): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}

/** A failure that maps to one edge response; `cause` is for logs only. */
export class EdgeError extends Error {
  override readonly name = 'EdgeError';
  readonly status: EdgeStatus;

  constructor(status: EdgeStatus, message: string = EDGE_TEXT[status], options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }

  toResponse(): Response {
    return edgeResponse(this.status, this.message);
  }
}

/** The response to anything thrown while serving a request, logged (with the route's id when known). */
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
