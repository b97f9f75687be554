/**
 * The `edgress` command line (see `bin/edgress.mjs`).
 */
import { devCommand } from './dev-command.ts';
import { doctorCommand } from './doctor-command.ts';
import { clusterCommands, edgressProgram, runEdgress } from './program.ts';

await runEdgress(edgressProgram([...clusterCommands(), devCommand(), doctorCommand()]), process.argv);
