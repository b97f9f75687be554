/**
 * `edgress compile`: manifests in, the routing table out (stdout or `-o`),
 * diagnostics on stderr one per line.
 * Exit status: 0 compiled; 1 with `--strict` when there are diagnostics;
 * 2 when input cannot be read or parsed (file and line are named), or -o
 * names a missing directory.
 */
import { Command } from 'commander';
import { FilePublisher } from '../publish/file-publisher.ts';
import { helpSections } from './help-format.ts';
import { checkOutputFile } from './output-file.ts';
import { providerOptions, withManifestInput, withProviderFlags, type ProviderFlags } from './provider-flags.ts';
import { formatMigrationReport, nginxMigrationReport } from '../../src/compile/index.ts';
import { loadTable, printDiagnostics } from './table-input.ts';

const EXIT_STATUS = [
  ['0', 'compiled (diagnostics or not)'],
  ['1', 'with --strict: there are diagnostics; or the table could not be written'],
  ['2', 'usage: a file unreadable or its YAML invalid (file and line named), no -f, no directory for -o'],
] as const;

interface CompileFlags extends ProviderFlags {
  readonly filename: string[];
  readonly output?: string;
  readonly strict?: boolean;
}

export function compileCommand(): Command {
  const command = new Command('compile')
    .summary('compile Ingress manifests into a routing table')
    .description(
      'Compiles Kubernetes manifests (Ingress, Service, Endpoints/EndpointSlice, Secret, IngressClass, and the Gateway API\'s\n' +
        'GatewayClass, Gateway, HTTPRoute, ReferenceGrant) into the routing table the edge worker serves. Diagnostics go to\n' +
        'stderr, one per line, a route a Gateway does not accept among them (with the reason its status gives).\n' +
        'With --ingress-nginx, a migration report follows on stderr: every nginx.ingress.kubernetes.io/* annotation ' +
        'the nginx-dialect Ingresses use, whether edgress supports, approximates or ignores it, and how many use it.',
    )
    .option('-o, --output <file>', 'write the table to this file (atomically) instead of stdout')
    .option('--strict', 'exit with status 1 when there are diagnostics');
  withProviderFlags(withManifestInput(command));
  command.addHelpText('after', helpSections([{ title: 'Exit status:', items: EXIT_STATUS }]));
  return command.action(async (flags: CompileFlags) => {
    if (flags.filename.length === 0) command.error('error: give manifests with -f <file|dir>', { exitCode: 2 });
    if (flags.output !== undefined) await checkOutputFile(flags.output, '-o');
    const input = await loadTable({ filename: flags.filename }, providerOptions(flags));
    for (const line of input.fatal) process.stderr.write(`error: ${line}\n`);
    if (!input.table) process.exit(2);
    printDiagnostics(input, (line) => process.stderr.write(line + '\n'));
    if (flags.ingressNginx && input.objects) {
      for (const line of formatMigrationReport(nginxMigrationReport(input.objects, providerOptions(flags)))) process.stderr.write(line + '\n');
    }
    if (flags.output) await new FilePublisher(flags.output).publish(input.table);
    else process.stdout.write(JSON.stringify(input.table, null, 2) + '\n');
    process.exitCode = flags.strict && input.diagnostics.length > 0 ? 1 : 0;
  });
}
