/**
 * The middlewares Gateway API filters compile to (the table's kinds for
 * them, see `src/table/`).
 */
import type { Middleware } from '../../table/middleware.ts';

type Status = 301 | 302 | 303 | 307 | 308;

export type GatewayMiddleware =
  | Extract<Middleware, { kind: 'replace-path' | 'upstream-host' }>
  | { readonly kind: 'header-modifier'; readonly phase: 'request' | 'response'; readonly set: [string, string][]; readonly add: [string, string][]; readonly remove: string[] }
  | {
      readonly kind: 'gateway-redirect';
      readonly scheme?: 'http' | 'https';
      readonly hostname?: string;
      readonly port?: number;
      readonly path?: { readonly type: 'full'; readonly value: string } | { readonly type: 'prefix'; readonly prefix: string; readonly value: string };
      readonly status: Status;
    }
  | { readonly kind: 'replace-prefix'; readonly prefix: string; readonly value: string }
  | { readonly kind: 'request-mirror'; readonly service: string; readonly percent?: number };
