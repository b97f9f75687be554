/**
 * The worker's vars (`wrangler.toml` `[vars]`), parsed once per env object by
 * `../runtime/runtime.ts`. A malformed value is a deployment error: every request
 * answers 500 and the log says which var is wrong.
 */
import type { EdgeEnv } from './env.ts';

export const SETTING_DEFAULTS = {
  /** How often an isolate re-reads the table pointer. */
  tableRefreshMs: 10_000,
  /**
   * A KV read of the table slower than this counts as failed: the isolate
   * keeps its last good table (or answers 503 without one) instead of
   * holding requests while KV hangs.
   */
  tableReadTimeoutMs: 3_000,
  /** Cloudflare's own proxy gives an origin 100 s to send response headers. */
  upstreamTimeoutMs: 100_000,
} as const;

/** How pods are reached: see `../transport/` (`vpc` is what `wrangler.toml` deploys). */
export const TRANSPORT_KINDS = ['vpc', 'tunnel-hostnames', 'direct', 'dev-relay'] as const;
export type TransportKind = (typeof TRANSPORT_KINDS)[number];

export interface Settings {
  readonly tableRefreshMs: number;
  readonly tableReadTimeoutMs: number;
  readonly upstreamTimeoutMs: number;
  readonly transport: TransportKind;
  /** Under `edgress dev` only: `X-Forwarded-Proto: https` stands for the edge's TLS termination. */
  readonly trustForwardedProto: boolean;
}

/** The settings of `env`; throws an `Error` naming the bad var. */
export function parseSettings(env: EdgeEnv): Settings {
  const transport = env.TRANSPORT || 'direct';
  if (!isTransportKind(transport)) throw new Error(`TRANSPORT must be one of ${TRANSPORT_KINDS.join(', ')}`);
  return {
    tableRefreshMs: milliseconds('TABLE_REFRESH_MS', env.TABLE_REFRESH_MS, SETTING_DEFAULTS.tableRefreshMs),
    tableReadTimeoutMs: milliseconds('TABLE_READ_TIMEOUT_MS', env.TABLE_READ_TIMEOUT_MS, SETTING_DEFAULTS.tableReadTimeoutMs),
    upstreamTimeoutMs: milliseconds('UPSTREAM_TIMEOUT_MS', env.UPSTREAM_TIMEOUT_MS, SETTING_DEFAULTS.upstreamTimeoutMs),
    transport,
    trustForwardedProto: env.TRUST_FORWARDED_PROTO === 'true',
  };
}

function isTransportKind(value: string): value is TransportKind {
  return (TRANSPORT_KINDS as readonly string[]).includes(value);
}

function milliseconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number of milliseconds`);
  return parsed;
}
