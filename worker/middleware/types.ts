/**
 * What a middleware kind must provide: a factory from its table entry to an
 * `EdgeMiddleware`. The factory validates and precomputes everything (and
 * throws on a bad entry); the function it returns only reads what the
 * factory prepared.
 */
import type { MiddlewareKind, MiddlewareOf } from '../../src/table/middleware.ts';
import type { EdgeMiddleware } from '../chain/compose.ts';

export type MiddlewareFactory<K extends MiddlewareKind> = (config: MiddlewareOf<K>) => EdgeMiddleware;

/** One factory per kind: a kind added to the table schema without one fails to type-check. */
export type MiddlewareRegistry = { readonly [K in MiddlewareKind]: MiddlewareFactory<K> };

export type { EdgeMiddleware, Next } from '../chain/compose.ts';
export type { RequestContext } from '../chain/context.ts';
