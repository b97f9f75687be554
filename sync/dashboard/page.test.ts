// The page's script is served as the source text of `dashboardApp`. Bundled
// as the agent image bundles it (minified, keepNames), that text must still
// run on its own in a browser: here, in a bare VM context with a stub DOM.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

async function bundledScript(): Promise<string> {
  const page = fileURLToPath(new URL('./page.ts', import.meta.url));
  const result = await build({
    stdin: { contents: `import { DASHBOARD_SCRIPT } from ${JSON.stringify(page)}; globalThis.script = DASHBOARD_SCRIPT;`, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true, platform: 'node', format: 'esm', target: 'node24', minify: true, keepNames: true, write: false, logLevel: 'silent',
  });
  const context = vm.createContext({});
  vm.runInContext(result.outputFiles[0]!.text.replace(/export\s*\{[^}]*\};?\s*$/, ''), context);
  return (context as { script: string }).script;
}

function stubElement(): Record<string, unknown> {
  return { textContent: '', value: '', addEventListener: () => {}, append: () => {}, replaceChildren: () => {}, querySelector: () => stubElement(), setAttribute: () => {}, dataset: {} };
}

describe('the dashboard script', () => {
  it('runs on its own after the agent bundle minified it with keepNames', async () => {
    const script = await bundledScript();
    const elements = new Map<string, Record<string, unknown>>();
    const fetched: string[] = [];
    const context = vm.createContext({
      document: { getElementById: (id: string) => elements.get(id) ?? elements.set(id, stubElement()).get(id), createElement: stubElement, createElementNS: stubElement },
      fetch: async (url: string) => {
        fetched.push(url);
        throw new Error('offline');
      },
      setInterval: () => 0,
      Error,
    });
    vm.runInContext(script, context);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fetched).toEqual(['/api/edgress/overview']);
    expect(elements.get('updated')?.['textContent']).toBe('cannot reach the dashboard API (offline)');
  });
});
