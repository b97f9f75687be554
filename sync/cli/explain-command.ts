/**
 * `edgress explain <url>`: which route a request would take and why, its
 * middlewares and candidate endpoints, or why nothing matches. Uses the same
 * matcher as the worker, on a table compiled here.
 */
import { Command } from 'commander';
import { hostView, compileTable } from '../../src/match/compiled-table.ts';
import { normalizeHost, normalizePath } from '../../src/match/normalize.ts';
import { selectRoute } from '../../src/match/select.ts';
import { ingressDialects } from '../../src/compile/index.ts';
import { describeNoMatch, describeSelection } from './explain-text.ts';
import { providerOptions, withManifestInput, withProviderFlags, type ProviderFlags } from './provider-flags.ts';
import { loadTable, printDiagnostics } from './table-input.ts';

interface ExplainFlags extends ProviderFlags {
  readonly filename: string[];
  readonly table?: string;
  readonly json?: boolean;
}

export function explainCommand(): Command {
  const command = new Command('explain')
    .summary('show which route a URL takes, and why')
    .description(
      'Explains how the edge worker would route <url>: the host group chosen (exact host, then *.wildcard, then\n' +
        'host-less rules), the path rule that won and why (priority, Exact, longest prefix, age), the middlewares\n' +
        'in the order they run and the candidate endpoints - or why nothing matches.',
    )
    .argument('<url>', 'the request URL, e.g. https://shop.example.com/cart?x=1')
    .option('--table <file>', 'explain against a compiled table file instead of manifests')
    .option('--json', 'print the explanation as JSON');
  withProviderFlags(withManifestInput(command));
  return command.action(async (rawUrl: string, flags: ExplainFlags) => {
    const url = URL.parse(rawUrl);
    if (!url) return command.error(`error: not a URL: ${rawUrl}`, { exitCode: 2 });
    if ((flags.filename.length > 0) === (flags.table !== undefined)) {
      command.error('error: give either manifests (-f <file|dir>) or a table (--table <file>)', { exitCode: 2 });
    }
    const input = await loadTable(flags.table !== undefined ? { table: flags.table } : { filename: flags.filename }, providerOptions(flags));
    for (const line of input.fatal) process.stderr.write(`error: ${line}\n`);
    if (!input.table) process.exit(2);
    printDiagnostics(input.diagnostics, (line) => process.stderr.write(line + '\n'));
    const host = normalizeHost(url.host);
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    const path = normalizePath(url.pathname);
    const view = hostView(compileTable(input.table), host);
    const selection = path ? selectRoute(view, path.match, scheme) : undefined;
    const dialects = input.objects ? ingressDialects(input.objects, providerOptions(flags)) : undefined;
    const explanation = selection
      ? describeSelection({ host, path: path!.match, scheme, view, selection, dialect: dialects?.get(selection.route.router.source) })
      : describeNoMatch({ host, path: path?.match, scheme, view });
    process.stdout.write(flags.json ? JSON.stringify(explanation, null, 2) + '\n' : explanation.text.join('\n') + '\n');
    process.exitCode = selection ? 0 : 1;
  });
}
