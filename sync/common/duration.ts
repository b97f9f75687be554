/**
 * Durations as Traefik 1.7's configuration reads them (`edgress.toml`, the
 * duration flags): a Go duration string (`1m30s`, `500ms`), parsed by the
 * compiler's own Go-duration parser, or a bare number of seconds. Negative
 * durations are refused.
 *
 * @example
 * ```ts
 * parseDuration('1m30s'); // 90000
 * parseDuration(2);       // 2000
 * ```
 */
import { parseGoDuration } from '../../src/compile/duration.ts';

/** Milliseconds, or undefined when the value is not a duration. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (/^[+-]/.test(trimmed)) return undefined;
  return parseGoDuration(trimmed);
}

/** Milliseconds as a user writes them (`1h`, `1m30s`, `500ms`): for defaults shown in help. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const amount = Math.floor(rest / size);
    if (amount > 0) parts.push(`${amount}${unit}`);
    rest -= amount * size;
  }
  return parts.join('');
}
