/**
 * Structured log lines: one JSON object per line on stdout, which Workers
 * Logs and `wrangler tail` index by field.
 */

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogLine {
  readonly level: LogLevel;
  /** A stable, kebab-case name for what happened (`table-loaded`, `endpoint-failed`). */
  readonly event: string;
  readonly [field: string]: unknown;
}

export function log(line: LogLine): void {
  console.log(JSON.stringify(line));
}

/** A loggable description of a thrown value and its causes. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 4; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(' <- ');
}
