/**
 * The `edgress` command line (see `bin/edgress.mjs`).
 */
import { devCommand } from './dev-command.ts';
import { clusterCommands, edgressProgram } from './program.ts';

await edgressProgram([...clusterCommands(), devCommand()]).parseAsync(process.argv);
