/**
 * Bundles the worker for Miniflare from the same entry point `wrangler
 * deploy` uses, with the module conditions the Workers runtime resolves and
 * Wrangler's platform (`browser`, esbuild's default): packages that map Node
 * built-ins away in their `browser` field (bcryptjs's `crypto`) bundle the
 * same way for `edgress dev` as for a deploy.
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
    platform: 'browser',
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
