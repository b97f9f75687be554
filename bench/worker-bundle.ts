/**
 * Bundles a worker entry for the benchmarks: for workerd (Miniflare) as
 * `edgress dev` does, or for Node, where `cloudflare:*` modules are replaced
 * by a stub so the worker's own code can be timed in-process.
 */
import { build, type Plugin } from 'esbuild';

const cloudflareStub: Plugin = {
  name: 'cloudflare-stub',
  setup(builder) {
    builder.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: 'cloudflare-stub' }));
    builder.onLoad({ filter: /.*/, namespace: 'cloudflare-stub' }, () => ({
      contents: 'export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } } export const env = {};',
      loader: 'js',
    }));
  },
};

export async function bundle(entry: string, target: 'workerd' | 'node'): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2023',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    logLevel: 'silent',
    ...(target === 'node' ? { plugins: [cloudflareStub] } : { external: ['cloudflare:*'] }),
  });
  return result.outputFiles[0]!.text;
}
