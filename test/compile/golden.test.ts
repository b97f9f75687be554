// Compiler golden tests (CONTRIBUTING.md#compiler-goldens): every `fixtures/<case>.yaml` is parsed
// and compiled with the optional `<case>.options.json`, and the result must
// equal `<case>.expected.json`. `UPDATE_GOLDEN=1` rewrites the expected files;
// read every rewritten file before committing it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, DIAGNOSTIC_CODES, parseManifests, type ProviderOptions } from '../../src/compile/index.ts';
import { compileTable } from '../../src/match/compiled-table.ts';
import { TableSchema } from '../../src/table/schema.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

/** The file of a case, in the style of Traefik v3's `generateTestFilename(desc)`. */
function fixtureFile(caseName: string, suffix: string): URL {
  return new URL(`${caseName}${suffix}`, FIXTURES);
}

const cases = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => file.slice(0, -'.yaml'.length))
  .sort();

function run(caseName: string): Record<string, unknown> {
  const optionsFile = fixtureFile(caseName, '.options.json');
  const options: ProviderOptions = existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {};
  const { objects, errors } = parseManifests(readFileSync(fixtureFile(caseName, '.yaml'), 'utf8'), `${caseName}.yaml`);
  const { table, diagnostics, served, gateway, httpRoutes } = compile(objects, options);
  // Gateway API cases (`gateway-*`) also show the status report the agent writes.
  return { ...(errors.length > 0 ? { parseErrors: errors } : {}), table, diagnostics, served, ...(gateway ? { gateway } : {}), ...(httpRoutes ? { httpRoutes } : {}) };
}

describe('compiler golden cases', () => {
  it.each(cases)('%s', (caseName) => {
    const actual = run(caseName);
    // Whatever the case, the table must be one the worker accepts and the matcher can index.
    const table = TableSchema.parse(actual['table']);
    expect(() => compileTable(table)).not.toThrow();
    const expectedFile = fixtureFile(caseName, '.expected.json');
    if (UPDATE) writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
  });

  it('covers every user diagnostic code', () => {
    const seen = new Set<string>();
    for (const caseName of cases) {
      const expected = JSON.parse(readFileSync(fixtureFile(caseName, '.expected.json'), 'utf8')) as { diagnostics: { code: string }[] };
      for (const diagnostic of expected.diagnostics) seen.add(diagnostic.code);
    }
    expect(Object.keys(DIAGNOSTIC_CODES.user).filter((code) => !seen.has(code))).toEqual([]);
  });
});
