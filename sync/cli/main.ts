/**
 * The `edgress` command line (see `bin/edgress.mjs`).
 */
import { Command } from 'commander';
import { compileCommand } from './compile-command.ts';
import { devCommand } from './dev-command.ts';
import { explainCommand } from './explain-command.ts';
import { rollbackCommand } from './rollback-command.ts';
import { syncCommand } from './sync-command.ts';
import { tunnelConfigCommand } from './tunnel-config-command.ts';

const program = new Command('edgress')
  .description('Kubernetes Ingress (with Traefik 1.7 annotations) served at the edge by a Cloudflare Worker.')
  .showHelpAfterError()
  .addCommand(compileCommand())
  .addCommand(devCommand())
  .addCommand(explainCommand())
  .addCommand(rollbackCommand())
  .addCommand(syncCommand())
  .addCommand(tunnelConfigCommand());

await program.parseAsync(process.argv);
