/**
 * How the agent reads the API server: JSON GETs (lists, discovery) with the
 * kubeconfig's credentials and TLS settings (`KubeConfig.applyToHTTPSOptions`),
 * and watches through client-node's `Watch`, turned into typed events.
 * Lists stay plain JSON, exactly as the API server sent them (client-node's
 * typed list methods would turn timestamps into `Date`s and drop fields its
 * models do not know), so listed and watched objects look the same to the
 * compiler.
 *
 * @example
 * ```ts
 * const client = new KubeClient(kubeConfig);
 * const page = await client.list('/api/v1/services', { limit: '500' });
 * const watch = await client.watch('/api/v1/services', { resourceVersion: page.resourceVersion }, onEvent, onDone);
 * ```
 */
import http from 'node:http';
import https from 'node:https';
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { KubeRequestError } from './errors.ts';
import { toWatchEvent, type WatchEvent } from './watch-event.ts';

/** A list or GET that takes longer than this fails (and is retried with backoff). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** A watch that delivers nothing (not even a bookmark) for this long is reopened. */
export const WATCH_IDLE_TIMEOUT_MS = 60_000;

export interface ListPage {
  readonly items: readonly unknown[];
  readonly resourceVersion: string;
  readonly continue?: string;
}

export interface WatchHandle {
  abort(): void;
}

/** What an informer needs from the API server; {@link KubeClient} is the real one. */
export interface ListWatchClient {
  list(path: string, query: Readonly<Record<string, string>>): Promise<ListPage>;
  watch(path: string, query: Readonly<Record<string, string>>, onEvent: (event: WatchEvent) => void, onDone: (error: unknown) => void): Promise<WatchHandle>;
}

export interface KubeClientOptions {
  readonly requestTimeoutMs?: number;
  readonly watchIdleTimeoutMs?: number;
}

export class KubeClient implements ListWatchClient {
  readonly config: KubeConfig;
  readonly #requestTimeoutMs: number;
  readonly #watch: Watch;

  constructor(config: KubeConfig, options: KubeClientOptions = {}) {
    this.config = config;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
    this.#watch = new Watch(config);
    // client-node reads this field for its inactivity timeout but declares it private.
    (this.#watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = options.watchIdleTimeoutMs ?? WATCH_IDLE_TIMEOUT_MS;
  }

  async list(path: string, query: Readonly<Record<string, string>>): Promise<ListPage> {
    const body = await this.getJson(path, query);
    const list = (typeof body === 'object' && body !== null ? body : {}) as { items?: unknown; metadata?: { resourceVersion?: unknown; continue?: unknown } };
    const next = list.metadata?.continue;
    return {
      items: Array.isArray(list.items) ? list.items : [],
      resourceVersion: typeof list.metadata?.resourceVersion === 'string' ? list.metadata.resourceVersion : '',
      ...(typeof next === 'string' && next !== '' ? { continue: next } : {}),
    };
  }

  /** GET a path as JSON; a non-2xx answer rejects with {@link KubeRequestError}. */
  async getJson(path: string, query: Readonly<Record<string, string>> = {}): Promise<unknown> {
    const cluster = this.config.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const url = new URL(cluster.server.replace(/\/+$/, '') + path);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const options: https.RequestOptions = { method: 'GET', headers: { accept: 'application/json' } };
    await this.config.applyToHTTPSOptions(options);
    return request(url, options, this.#requestTimeoutMs);
  }

  async watch(path: string, query: Readonly<Record<string, string>>, onEvent: (event: WatchEvent) => void, onDone: (error: unknown) => void): Promise<WatchHandle> {
    return this.#watch.watch(
      path,
      query,
      (phase: string, object: unknown) => {
        const event = toWatchEvent(phase, object);
        if (event) onEvent(event);
      },
      onDone,
    );
  }
}

function request(url: URL, options: https.RequestOptions, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) return reject(new KubeRequestError(status, `GET ${url.pathname}: HTTP ${status}: ${messageOf(text)}`));
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new Error(`GET ${url.pathname}: the answer is not JSON`));
        }
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`GET ${url.pathname}: no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.end();
  });
}

function messageOf(text: string): string {
  try {
    const status = JSON.parse(text) as { message?: unknown };
    if (typeof status.message === 'string') return status.message;
  } catch {
    // not a Status object
  }
  return text.slice(0, 200);
}
