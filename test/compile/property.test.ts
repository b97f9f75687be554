/**
 * Property tests of the compiler on arbitrary clusters (./arbitrary/): it
 * never throws, never hangs, and always returns a table the worker accepts
 * (the zod schema, the matcher, the published wire form) plus diagnostics
 * that are one short line each. `EDGRESS_PROPERTY_RUNS` sets the number of
 * clusters (default 300; the figures of docs/measurements/reliability.md come from a long run). Each
 * property prints one `… property:` line with what it generated and the
 * slowest compile: the figures docs/measurements/reliability.md reports; timings are reported,
 * never asserted beyond the hang bound.
 */
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compile, DIAGNOSTIC_CODES, parseManifests, type CompileResult, type KubeObject } from '../../src/compile/index.ts';
import { compileTable } from '../../src/match/compiled-table.ts';
import { buildPublication } from '../../src/storage/publication.ts';
import { TableSchema } from '../../src/table/schema.ts';
import { ShardedTableStore } from '../../src/store/sharded-store.ts';
import { POINTER_KEY } from '../../src/storage/layout.ts';
import { clusterArb, optionsArb } from './arbitrary/cluster.ts';
import { billionLaughs, selfAlias, YAML_BOMBS } from './arbitrary/hostile.ts';

const RUNS = Number(process.env['EDGRESS_PROPERTY_RUNS'] ?? 300);
/** Far above any compile seen (the slowest is reported); only a hang gets near it. */
const HANG_MS = 10_000;
/** The whole run; generous, as the machine is shared. */
const TEST_TIMEOUT_MS = 60_000 + RUNS * 200;
const CODES: ReadonlySet<string> = new Set([...Object.keys(DIAGNOSTIC_CODES.user), ...Object.keys(DIAGNOSTIC_CODES.system)]);

/** Everything a caller may rely on, checked on one result. */
function checkResult(result: CompileResult): void {
  const parsed = TableSchema.safeParse(result.table);
  if (!parsed.success) throw new Error(`table fails TableSchema: ${parsed.error.message.slice(0, 2000)}`);
  compileTable(result.table);
  for (const d of result.diagnostics) {
    expect(CODES.has(d.code), d.code).toBe(true);
    expect(d.code, d.message).not.toBe('InternalError');
    expect(d.message).not.toMatch(/[\r\n]/);
    expect(d.message.length).toBeLessThan(1_000);
    expect(d.field?.length ?? 0).toBeLessThan(400);
  }
}

/** A cluster as a manifest file, with hostile documents (YAML bombs, aliases, garbage) between its objects. */
const manifestArb = fc
  .tuple(
    clusterArb,
    fc.array(fc.oneof(YAML_BOMBS, fc.constantFrom(`kind: Ingress\n${billionLaughs()}`, `kind: Service\n${selfAlias}`, '---', '...', '\t:\n')), { maxLength: 3 }),
  )
  .map(([objects, extra]) => [...objects.map(toYaml), ...extra].join('\n---\n'));

function toYaml(object: KubeObject): string {
  try {
    return dump(object, { skipInvalid: true });
  } catch {
    return 'kind: Unknown';
  }
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe('compile() on arbitrary clusters', () => {
  it('never throws, never hangs, and returns a valid table with one-line diagnostics', () => {
    let clusters = 0;
    let routed = 0;
    let slowest = 0;
    let objectsSeen = 0;
    let largest = 0;
    const kinds = new Set<string>();
    fc.assert(
      fc.property(clusterArb, optionsArb, (objects, options) => {
        const { value, ms } = timed(() => compile(objects, options));
        clusters += 1;
        objectsSeen += objects.length;
        largest = Math.max(largest, objects.length);
        slowest = Math.max(slowest, ms);
        if (value.table.routers.length > 0) routed += 1;
        for (const middleware of Object.values(value.table.middlewares)) kinds.add(middleware.kind);
        expect(ms).toBeLessThan(HANG_MS);
        checkResult(value);
      }),
      { numRuns: RUNS },
    );
    console.log(`compile property: ${clusters} clusters of ${objectsSeen} objects (largest ${largest}; ${routed} with routes, ${kinds.size} middleware kinds), slowest compile ${slowest.toFixed(1)} ms`);
  }, TEST_TIMEOUT_MS);

  it('reads any manifest file, YAML bombs included, without throwing or hanging', () => {
    let slowest = 0;
    let files = 0;
    let largestBytes = 0;
    fc.assert(
      fc.property(manifestArb, (text) => {
        const { value, ms } = timed(() => compile(parseManifests(text, 'fuzz.yaml').objects, {}));
        files += 1;
        largestBytes = Math.max(largestBytes, text.length);
        slowest = Math.max(slowest, ms);
        expect(ms).toBeLessThan(HANG_MS);
        checkResult(value);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
    console.log(`manifest property: ${files} files (largest ${largestBytes} characters), slowest parse and compile ${slowest.toFixed(1)} ms`);
  }, TEST_TIMEOUT_MS);

  it('is deterministic: the same objects give the same table and diagnostics', () => {
    let clusters = 0;
    fc.assert(
      fc.property(clusterArb, optionsArb, (objects, options) => {
        clusters += 1;
        expect(compile(objects, options)).toEqual(compile(objects, options));
      }),
      { numRuns: Math.ceil(RUNS / 5) },
    );
    console.log(`determinism property: ${clusters} clusters, each compiled twice`);
  }, TEST_TIMEOUT_MS);

  it('produces tables that publish and that a store serves back', async () => {
    let clusters = 0;
    let hostsRead = 0;
    await fc.assert(
      fc.asyncProperty(clusterArb, async (objects) => {
        clusters += 1;
        const { table } = compile(objects, {});
        const publication = await buildPublication(table);
        const values = new Map(publication.values);
        values.set(POINTER_KEY, publication.pointer);
        const events: string[] = [];
        const store = new ShardedTableStore({ get: async (key) => values.get(key) ?? null }, { refreshMs: 0, onEvent: (e) => events.push(JSON.stringify(e)) });
        for (const host of new Set(['x.example.com', ...table.routers.map((router) => router.host.replace('*', 'w'))])) {
          expect(await store.forHost(host)).not.toBeNull();
          hostsRead += 1;
        }
        expect(events.filter((event) => !event.includes('table-loaded'))).toEqual([]);
      }),
      { numRuns: Math.ceil(RUNS / 5) },
    );
    console.log(`publication property: ${clusters} clusters published and read back (${hostsRead} host lookups)`);
  }, TEST_TIMEOUT_MS);
});
