/**
 * The HTTP status behind an error from any of the ways the agent talks to
 * the API server: client-node's `ApiException` (`code`), its `Watch`
 * (`statusCode`), and the agent's own JSON requests ({@link KubeRequestError}).
 *
 * @example
 * ```ts
 * if (statusOf(error) === 409) return retryWithFreshObject();
 * ```
 */

export class KubeRequestError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'KubeRequestError';
    this.code = code;
  }
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'number') return code;
  if (typeof statusCode === 'number') return statusCode;
  return undefined;
}

/** A short description for logs: the status and the API server's message when there is one. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = statusOf(error);
  const body = (error as { body?: unknown }).body;
  const detail = typeof body === 'string' ? safeMessage(body) : typeof body === 'object' && body !== null ? (body as { message?: string }).message : undefined;
  return [status !== undefined ? `HTTP ${status}` : undefined, detail ?? error.message].filter(Boolean).join(': ');
}

function safeMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    return text.slice(0, 200) || undefined;
  }
}
