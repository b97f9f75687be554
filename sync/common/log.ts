/**
 * Structured logs: one JSON object per line, with the time, a level and an
 * `event` name, then the event's own fields.
 *
 * @example
 * ```ts
 * const log = jsonLogger((line) => process.stderr.write(line));
 * log.info('published', { version, routes: 12 });
 * // {"time":"2026-01-01T00:00:00.000Z","level":"info","event":"published","version":"…","routes":12}
 * ```
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(event: string, fields?: Readonly<Record<string, unknown>>): void;
  info(event: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(event: string, fields?: Readonly<Record<string, unknown>>): void;
  error(event: string, fields?: Readonly<Record<string, unknown>>): void;
}

export function jsonLogger(write: (line: string) => void, now: () => number = Date.now): Logger {
  const emit = (level: LogLevel) => (event: string, fields: Readonly<Record<string, unknown>> = {}) =>
    write(JSON.stringify({ time: new Date(now()).toISOString(), level, event, ...fields }, replaceErrors) + '\n');
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** Discards everything (tests that do not look at logs). */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function replaceErrors(_key: string, value: unknown): unknown {
  return value instanceof Error ? value.message : value;
}
