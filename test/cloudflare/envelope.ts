/** Cloudflare's answer envelope (`{success, errors, messages, result}`), shared by the API stand-in's parts. */

export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly keys?: readonly string[];
}

export function ok(result: unknown, resultInfo?: unknown): Answer {
  return { status: 200, body: { success: true, errors: [], messages: [], result, ...(resultInfo ? { result_info: resultInfo } : {}) } };
}

export function error(status: number, code: number, message: string): Answer {
  return { status, body: { success: false, errors: [{ code, message }], messages: [], result: null } };
}

/** One page of `items` as the v4 API pages (`page`, `per_page`, `total_pages`). */
export function page(items: readonly unknown[], url: URL, defaultPerPage: number): Answer {
  const perPage = Number(url.searchParams.get('per_page') ?? defaultPerPage);
  const number = Number(url.searchParams.get('page') ?? 1);
  const slice = items.slice((number - 1) * perPage, number * perPage);
  return ok(slice, { page: number, per_page: perPage, count: slice.length, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / perPage)) });
}
