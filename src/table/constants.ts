/**
 * Table facts needed at runtime without the zod schemas: the worker reads
 * these on its cold path, where constructing schemas would cost more CPU
 * than the rest of the first request.
 */

/** The schema version this code reads and writes. A table of another version is never served. */
export const TABLE_SCHEMA_VERSION = 1 as const;

const DNS_LABEL = '[a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9_])?';
const DNS_NAME = `${DNS_LABEL}(\\.${DNS_LABEL})*`;

/** A router host: `''` (any), a lower-case DNS name, or `*.` + a DNS name. */
export const HOST_PATTERN = new RegExp(`^(|${DNS_NAME}|\\*\\.${DNS_NAME})$`);

// The limits below are stated for users in docs/concepts/routing.md#limits;
// every check of them (compiler, table schema, wire check, worker) reads them here.

/** The longest DNS name (RFC 1035), so the longest rule host and external name. */
export const MAX_HOST_LENGTH = 253;

/** The longest rule path, in characters: a longer one is refused when compiled and when a table is read. */
export const MAX_RULE_PATH_LENGTH = 2048;

/** Weighted services nest at most this deep; deeper, or a cycle, is a broken table. */
export const MAX_WEIGHTED_DEPTH = 4;
