/**
 * Bundles the agent's command line (`sync/cli/agent-main.ts`) and every
 * package it uses into one ES module for Node, so the container image holds
 * a single file on a distroless Node base (`deploy/Dockerfile`).
 *
 * Usage: `node sync/build/agent-bundle.ts <outfile>`.
 *
 * @example
 * ```ts
 * await bundleAgent('dist/edgress.mjs');
 * ```
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../cli/agent-main.ts', import.meta.url));

/** Node version the bundle targets: the image's base (`deploy/Dockerfile`). */
export const AGENT_NODE_TARGET = 'node24';

export async function bundleAgent(outfile: string): Promise<void> {
  await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: AGENT_NODE_TARGET,
    // CommonJS packages inside an ES module bundle still call require() for Node built-ins.
    banner: { js: "import { createRequire as __edgressRequire } from 'node:module'; const require = __edgressRequire(import.meta.url);" },
    minify: true,
    keepNames: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = process.argv[2];
  if (!outfile) {
    process.stderr.write('usage: node sync/build/agent-bundle.ts <outfile>\n');
    process.exit(2);
  }
  await bundleAgent(outfile);
}
