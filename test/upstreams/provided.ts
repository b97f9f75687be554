// What the worker project's globalSetup provides to tests (types only, so
// both the Node config and the workerd tests can import it).

/** Names of the echo servers; each listens on its own loopback address. */
export const ECHO_NAMES = ['a', 'b', 'c', 'd'] as const;
export type EchoName = (typeof ECHO_NAMES)[number];

export interface Upstreams {
  /** `ip:port` of each echo server. */
  readonly echo: Readonly<Record<EchoName, string>>;
  /** An `ip:port` nothing listens on (connections are refused). */
  readonly closed: string;
  /** `ip:port` of the fake `edgress dev` relay. */
  readonly relay: string;
  /** `ip:port` of upstreams that answer garbage, never answer, or reset mid-body (`./misbehaving.ts`). */
  readonly misbehaving: Readonly<Record<'garbage' | 'silent' | 'midReset', string>>;
}

/** What an echo server answers: what it received, as JSON. */
export interface Echo {
  readonly name: EchoName;
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    upstreams: Upstreams;
  }
}
