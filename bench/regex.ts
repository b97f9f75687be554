/**
 * The cost of the regex bound (`REGEX_LIMITS`): one match of a string of
 * digits that never matches, for the largest program the compiler accepts,
 * one at the warning threshold and a typical one, on a 1 KiB and a 16 KiB
 * input (Cloudflare's URL limit is 16 KB). Each case first checks its
 * program size and that nothing matches, then reports the best of 3 runs.
 *   node bench/regex.ts
 * prints one line per case and a JSON line.
 */
import { LinearRegex, REGEX_LIMITS } from '../src/regex/index.ts';

const CASES = [
  { source: '[0-9]{1,998}z', size: REGEX_LIMITS.programSize - 1 },
  { source: '[0-9]{1,248}z', size: REGEX_LIMITS.warnProgramSize - 1 },
  { source: '^/api/(?<id>[0-9]+)/x$', size: 18 },
] as const;
const LENGTHS = [1024, 16 * 1024] as const;
const ROUNDS = 3;

const results = CASES.flatMap(({ source, size }) => {
  const regex = LinearRegex.compile({ source, flags: '' });
  if (regex.size !== size) throw new Error(`${source} compiles to ${regex.size} instructions, expected ${size}`);
  return LENGTHS.map((length) => {
    const input = '1'.repeat(length);
    if (regex.exec(input, 0) !== undefined) throw new Error(`${source} matched the input`);
    let best = Number.POSITIVE_INFINITY;
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      regex.exec(input, 0);
      best = Math.min(best, performance.now() - started);
    }
    console.log(`${source}: ${size} instructions, ${length} characters: ${best.toFixed(1)} ms`);
    return { source, instructions: size, length, ms: Math.round(best * 10) / 10 };
  });
});
console.log(JSON.stringify(results));
