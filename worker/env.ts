/**
 * The worker's bindings (see `wrangler.toml`). Vars arrive as strings.
 */
export interface EdgeEnv {
  /** Routing table: content-addressed shards plus a pointer key. */
  readonly TABLE: KVNamespace;
  /** How often (ms) an isolate re-reads the table pointer. */
  readonly TABLE_REFRESH_MS?: string;
  /** How pods are reached: `direct` or `dev-relay`. */
  readonly TRANSPORT?: string;
  /** `true` only under `edgress dev`: `X-Forwarded-Proto: https` stands for edge TLS. */
  readonly TRUST_FORWARDED_PROTO?: string;
  /** Under `edgress dev`: the local relay that reaches endpoints with the right Host. */
  readonly DEV_RELAY?: Fetcher;
}
