#!/usr/bin/env node
// The `edgress` command. The CLI is TypeScript run by Node's built-in type
// stripping (Node >= 22.18). On an older Node (the system Node of a machine
// that only ran `npm install`), re-run this file with the Node binary that the
// `node` devDependency installed, so `npx edgress` works on any machine.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

if (process.features.typescript) {
  await import('../sync/cli/main.ts');
} else {
  const bundled = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(bundled)) {
    console.error(`edgress needs Node >= 22.18 (this is ${process.version}); run \`npm install\` first`);
    process.exit(1);
  }
  const child = spawn(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}
