/** The middlewares Gateway API filters compile to (the table's kinds for them, `src/table/gateway-middleware.ts`). */
import type { Middleware } from '../../table/middleware.ts';

export type GatewayMiddleware = Extract<Middleware, { kind: 'replace-path' | 'upstream-host' | 'header-modifier' | 'gateway-redirect' | 'replace-prefix' | 'request-mirror' }>;
