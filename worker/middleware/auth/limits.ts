/**
 * Limits of the access-control middlewares, as data (CONTRIBUTING.md#limits-and-codes-are-data). Each bounds
 * what one request can make the edge do before it is refused.
 */
export const AUTH_LIMITS = {
  /** Longest `Authorization` header read; longer ones are refused unread (401). */
  maxAuthorizationBytes: 4096,
  /** Auth-params in one `Digest` header; more is refused (401). */
  maxDigestParams: 16,
  /** How long a digest nonce is accepted after it was issued (the replay window across isolates). */
  nonceLifetimeSeconds: 300,
  /** A nonce stamped this far in the future (clock skew between machines) is still accepted. */
  nonceClockSkewSeconds: 30,
  /** Nonces whose last `nc` one isolate remembers; the oldest are forgotten first. */
  nonceCountEntries: 10_000,
  /** Successful bcrypt verifications one isolate remembers, and for how long. */
  verifiedEntries: 1_000,
  verifiedLifetimeMs: 10 * 60 * 1000,
  /** Traefik's forward-auth client timeout; an auth server slower than this counts as unreachable (500). */
  forwardTimeoutMs: 30_000,
} as const;
