/**
 * The `edgress` command of the agent's container image (`deploy/Dockerfile`
 * bundles this entry point into one file): every command but `dev`.
 */
import { clusterCommands, edgressProgram, runEdgress } from './program.ts';

await runEdgress(edgressProgram(clusterCommands()), process.argv);
