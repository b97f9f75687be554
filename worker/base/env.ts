/**
 * The worker's bindings (see `wrangler.toml`). Vars arrive as strings and are
 * parsed once by `./settings.ts`.
 */
export interface EdgeEnv {
  /** Routing table: content-addressed shards plus a pointer key. */
  readonly TABLE: KVNamespace;
  /** How often (ms) an isolate re-reads the table pointer (default 10000). */
  readonly TABLE_REFRESH_MS?: string;
  /** How long (ms) one KV read of the table may take before it counts as failed (default 3000). */
  readonly TABLE_READ_TIMEOUT_MS?: string;
  /** How pods are reached: `vpc`, `tunnel-hostnames`, `direct` (default when unset) or `dev-relay`. */
  readonly TRANSPORT?: string;
  /** `TRANSPORT = "vpc"`: the Workers VPC network binding to the cluster's tunnel (`vpc_networks`). */
  readonly VPC?: Fetcher;
  /** `TRANSPORT = "tunnel-hostnames"`: e.g. `{service}-{namespace}.tunnel.example.com`. */
  readonly TUNNEL_HOSTNAME_TEMPLATE?: string;
  /** `tunnel-hostnames`: the Access service token presented to the tunnel hostnames (Worker secrets). */
  readonly TUNNEL_ACCESS_CLIENT_ID?: string;
  readonly TUNNEL_ACCESS_CLIENT_SECRET?: string;
  /** `true` only under `edgress dev`: `X-Forwarded-Proto: https` stands for edge TLS. */
  readonly TRUST_FORWARDED_PROTO?: string;
  /** How long (ms) an upstream may take to send response headers before 504 (default 100000). */
  readonly UPSTREAM_TIMEOUT_MS?: string;
  /** Under `edgress dev`: the local relay that reaches endpoints with the right Host. */
  readonly DEV_RELAY?: Fetcher;
  /** Edge-wide rate limits (`rate-limit`): one object per route and key. */
  readonly RATE_LIMITER?: DurableObjectNamespace<import('../traffic/rate-limiter.ts').RateLimiter>;
  /** Keys the sticky-cookie HMAC (a Worker secret; see `./traffic-settings.ts`). */
  readonly STICKY_SECRET?: string;
  /** Per-request statistics (Workers Analytics Engine, `[[analytics_engine_datasets]]`; `edgress dev` binds its recorder). */
  readonly STATS?: import('./stats.ts').StatsDataset;
  /** Test and dev timings of per-isolate traffic state (see `./traffic-settings.ts`). */
  readonly CIRCUIT_BREAKER_FALLBACK_MS?: string;
  readonly CIRCUIT_BREAKER_RECOVERY_MS?: string;
  readonly DRR_ADJUST_MS?: string;
}
