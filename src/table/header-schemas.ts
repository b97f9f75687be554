/**
 * Header names and values as the table stores them, shared by every
 * middleware kind that sets headers. A value that passes can be given to
 * `Headers.set` in any runtime without throwing.
 *
 * @example
 * ```ts
 * HeaderNameSchema.parse('X-Env');        // ok
 * HeaderValueSchema.safeParse('a\r\nb');  // { success: false, … }
 * ```
 */
import { z } from 'zod';

/** A header name as RFC 9110 allows it (token characters only). */
export const HeaderNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name');
/** A header value without CR, LF, NUL or other control characters (tab allowed). */
export const HeaderValueSchema = z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'header value contains control characters');
