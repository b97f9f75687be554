/**
 * The `edgress` program: its commands, listed by name. `main.ts` (the
 * repository's `edgress`) has them all; `agent-main.ts` (the agent's
 * container image) all but `dev`, which needs workerd.
 *
 * @example
 * ```ts
 * await edgressProgram([...clusterCommands(), devCommand()]).parseAsync(process.argv);
 * ```
 */
import { Command } from 'commander';
import { compileCommand } from './compile-command.ts';
import { explainCommand } from './explain-command.ts';
import { rollbackCommand } from './rollback-command.ts';
import { syncCommand } from './sync-command.ts';
import { tunnelConfigCommand } from './tunnel-config-command.ts';

/** Every command a cluster or a CI job runs (no local runtime needed). */
export function clusterCommands(): Command[] {
  return [compileCommand(), explainCommand(), rollbackCommand(), syncCommand(), tunnelConfigCommand()];
}

export function edgressProgram(commands: readonly Command[]): Command {
  const program = new Command('edgress')
    .description('Kubernetes Ingress (with Traefik 1.7 annotations) served at the edge by a Cloudflare Worker.')
    .showHelpAfterError();
  for (const command of [...commands].sort((a, b) => a.name().localeCompare(b.name()))) program.addCommand(command);
  return program;
}
