/**
 * Bundles the worker for Miniflare from the same entry point `wrangler
 * deploy` uses, with the module conditions the Workers runtime resolves.
 *
 * @example
 * ```ts
 * const script = await bundleWorker(config.main);
 * ```
 */
import { build } from 'esbuild';

export async function bundleWorker(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2023',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*'],
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`bundling ${entry} produced no output`);
  return output.text;
}
