/**
 * The worker's bindings (see `wrangler.toml`). Vars arrive as strings and are
 * parsed once by `./settings.ts`.
 */
export interface EdgeEnv {
  /** Routing table: content-addressed shards plus a pointer key. */
  readonly TABLE: KVNamespace;
  /** How often (ms) an isolate re-reads the table pointer (default 10000). */
  readonly TABLE_REFRESH_MS?: string;
  /** How pods are reached: `direct` (default) or `dev-relay`. */
  readonly TRANSPORT?: string;
  /** `true` only under `edgress dev`: `X-Forwarded-Proto: https` stands for edge TLS. */
  readonly TRUST_FORWARDED_PROTO?: string;
  /** How long (ms) an upstream may take to send response headers before 504 (default 100000). */
  readonly UPSTREAM_TIMEOUT_MS?: string;
  /** Under `edgress dev`: the local relay that reaches endpoints with the right Host. */
  readonly DEV_RELAY?: Fetcher;
}
