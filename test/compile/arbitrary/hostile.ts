/**
 * Hostile strings for property tests: what a careless or malicious author
 * can put in an annotation, a host, a path or a Secret. Each generator mixes
 * plausible values (so deep code paths run) with huge, binary, CR/LF,
 * regex-bomb and YAML-bomb values.
 */
import fc from 'fast-check';

/** Nested YAML flow sequences, `depth` deep. */
export const nestedYaml = (depth: number): string => `${'['.repeat(depth)}x${']'.repeat(depth)}`;

/** Nested YAML block mappings, `depth` deep. */
export const nestedMappings = (depth: number): string =>
  Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' end';

/** The billion laughs: `levels` anchors, each an alias list of the one before. */
export function billionLaughs(levels = 9, width = 9, key?: string): string {
  const lines = [`a0: &a0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(width).fill(`*a${i - 1}`).join(', ')}]`);
  if (key) lines.push(`${key}: *a${levels - 1}`);
  return lines.join('\n');
}

/** An alias that refers to the node containing it (js-yaml builds a cycle). */
export const selfAlias = 'a: &x [1, *x]\nstatus: *x\nbackend: *x';

/** Regexes that backtrack catastrophically in JavaScript, or are just big. */
export const REGEX_BOMBS = [
  '^(a+)+$', '(a|a)*b', '(a|aa)+$', '^(.*)*$', '(x+x+)+y', '(\\w+\\s?)+$', '((a*)*)*b', '(.*){1000}', '(a{1,1000}){1000}',
  '.*.*.*.*.*x', '^(([a-z])+.)+[A-Z]([a-z])+$', `(${'a?'.repeat(500)})${'a'.repeat(500)}`, '[[:alpha:]]{1000}'.repeat(5),
  '(?P<a>x)(?P<a>y)', '\\', '(', '[', '(?<=a)b', '\\1', 'a{1001}', '\\p{Greek}', '\\x{10FFFF}',
];

/** Strings with bytes no header, path or host may carry. */
const BINARY = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => String.fromCharCode(...bytes)),
  fc.constantFrom('\u0000', '\r\n', '\n', '\r', '\u2028', '\ufeff', '\ud800', '\udfff', '\u00ff', 'é', '😀', '\u202e'),
);

/** Values meant to split headers or lines. */
const INJECTION = fc.constantFrom(
  'x\r\nSet-Cookie: a=b', 'x\nX-Forwarded-For: 1.2.3.4', 'X-A:1\r\n\r\nGET / HTTP/1.1', 'a||Host: evil||X-Edgress-Endpoint: 10.0.0.1:80',
  'X-Forwarded-For:1.1.1.1||X_Forwarded_For:2.2.2.2||x-real-ip:3.3.3.3', 'Transfer-Encoding: chunked||Content-Length: 0',
  '/admin\r\n', 'https://evil.example.com/\r\nLocation: x', '{{ .Request.Host }}', '$1$2${name}$$', '%0d%0aX: y',
);

/** YAML documents that parse to something dangerous or odd. */
export const YAML_BOMBS = fc.oneof(
  fc.constant(billionLaughs()),
  fc.constant(billionLaughs(12, 12, 'status')),
  fc.constant(selfAlias),
  fc.integer({ min: 50, max: 5000 }).map(nestedYaml),
  fc.integer({ min: 50, max: 2000 }).map(nestedMappings),
  fc.constantFrom(
    '!!js/function "function(){}"', '!!binary AAAA', '!!set {a, b}', '? [a]\n: b', 'a: !!int x', '<<: *undefined', '&a *a',
    'a: &a\n  b: *a', '---\n---\n---', '%YAML 1.3\n---\na: b', 'a: b\na: c', '{a: 1, a: 2}', "'unterminated", '- [a\n- b]',
    '__proto__: {polluted: true}', 'constructor: {prototype: {x: 1}}', 'status: [1e309, -0, .nan, 0x1F, 0o17]',
  ),
);

/** A very long value: `size` copies of a short unit. */
const huge = fc.tuple(fc.constantFrom('a', '/a', 'x,', '🙂', '%', '||X-A:1', '500-599,', '{'), fc.integer({ min: 1_000, max: 300_000 }))
  .map(([unit, size]) => unit.repeat(Math.ceil(size / unit.length)));

/** Any hostile string (huge ones rarely, they are slow to generate and compile). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: BINARY },
  { weight: 3, arbitrary: INJECTION },
  { weight: 2, arbitrary: fc.constantFrom(...REGEX_BOMBS) },
  { weight: 2, arbitrary: YAML_BOMBS },
  { weight: 1, arbitrary: huge },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

/** Hosts: good, wildcard, upper-case, IDN, with ports, trailing dots, huge, binary. */
export const hostArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a.example.com', 'b.example.com', '*.example.com', 'example.com', 'x.a.example.com') },
  { weight: 2, arbitrary: fc.domain() },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '', 'A.Example.com', 'a.example.com.', 'a.example.com:80', '*.*.example.com', '*', 'xn--bcher-kva.example', 'bücher.example',
      'a..b', '-a.example.com', '10.0.0.1', '[::1]', 'a.example.com/x', 'a b', `${'a'.repeat(64)}.com`, `${'a.'.repeat(200)}com`,
    ),
  },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
);

/** Rule paths. */
export const pathArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('/', '/api', '/api/', '/admin', '/a/b', '/app', '/%61dmin', '/a/../b', '/café') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('', 'api', '//x', '/{id:[0-9]+}', '/a b', '/a\u0000', '/a;b', `/${'x'.repeat(5000)}`, '/a%2Fb', '/.', '/..'),
  },
  { weight: 1, arbitrary: fc.webPath().map((path) => path || '/') },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
);
