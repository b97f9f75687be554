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
export const MAX_HOST_LENGTH = 253;
