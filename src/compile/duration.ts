/**
 * Go's `time.ParseDuration`, as Traefik 1.7 read `period` and
 * `responseforwarding-flushinterval`: a sequence of decimal numbers with
 * units `ns`, `us` (`µs`), `ms`, `s`, `m`, `h`; `0` alone needs no unit.
 *
 * @example
 * ```ts
 * parseGoDuration('1m30s'); // 90000 (milliseconds)
 * parseGoDuration('10');    // undefined (a unit is required)
 * ```
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /([0-9]*(?:\.[0-9]*)?)([a-zµμ]+)/y;

/** Milliseconds (fractional for sub-millisecond durations), or undefined when Go would reject the text. */
export function parseGoDuration(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  if (body === '0') return 0;
  if (body === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < body.length) {
    const start = PART.lastIndex;
    const match = PART.exec(body);
    if (!match || match.index !== start) return undefined;
    const [, number = '', unit = ''] = match;
    const scale = UNIT_MS[unit];
    if (scale === undefined || number === '' || number === '.') return undefined;
    total += Number(number) * scale;
  }
  return sign * total;
}
