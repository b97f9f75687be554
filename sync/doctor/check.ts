/**
 * One finding of `edgress doctor`: what was checked, how it stands, and
 * (unless ok) what to do about it, in one line.
 *
 * @example
 * ```ts
 * const finding: Finding = { status: 'fail', subject: 'wrangler.toml', message: 'TABLE id is a placeholder: …' };
 * ```
 */
export type Status = 'ok' | 'warn' | 'fail';

export interface Finding {
  readonly status: Status;
  /** What was checked: a file, a tool, the Cloudflare account. */
  readonly subject: string;
  readonly message: string;
}

export const ok = (subject: string, message: string): Finding => ({ status: 'ok', subject, message });
export const warn = (subject: string, message: string): Finding => ({ status: 'warn', subject, message });
export const fail = (subject: string, message: string): Finding => ({ status: 'fail', subject, message });

/** An id still as the repository ships it: zeros, `REPLACE`, `<…>`. */
export function isPlaceholder(value: string | undefined): boolean {
  return value === undefined || value.trim() === '' || /^[0-]+$/.test(value) || /REPLACE|<[^>]*>/i.test(value);
}

/** A host name of the documentation domains (`edge.example.com`). */
export function isExampleHost(value: string | undefined): boolean {
  return value === undefined || /(^|\.)example\.(com|org|net)$/.test(value);
}
