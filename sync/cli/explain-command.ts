/**
 * `edgress explain <url>`: what a request would get (a redirect, a
 * refusal, an authentication challenge, or the pod that answers) and why:
 * the route chosen, each middleware's decision for that scheme and client,
 * the Service and its endpoints, or why nothing matches (including
 * Ingresses that name the host but are not served). Uses the same matcher
 * as the worker, on a table compiled here.
 */
import { Command, InvalidArgumentError } from 'commander';
import { hostView, compileTable } from '../../src/match/compiled-table.ts';
import { isRoutableHost, normalizeHost, normalizePath } from '../../src/match/normalize.ts';
import { selectRoute } from '../../src/match/select.ts';
import { parseAddress } from '../../src/net/ip-range.ts';
import { describeNoMatch, describeSelection, explanationText } from './explain-text.ts';
import { ingressDialects } from '../../src/compile/index.ts';
import { providerOptions, withManifestInput, withProviderFlags, type ProviderFlags } from './provider-flags.ts';
import { loadTable, printDiagnostics } from './table-input.ts';
import { UsageError } from './exit.ts';
import { describeApiError } from '../publish/cloudflare/request-gate.ts';
import { explainEdge, withExplainEdgeFlags, type ExplainEdgeFlags } from './explain-edge.ts';
import { routeKind } from '../edge-hosts/route-kind.ts';
import { unservedHttpRoutes } from './explain-httproutes.ts';

interface ExplainFlags extends ProviderFlags, ExplainEdgeFlags {
  readonly filename: string[];
  readonly table?: string;
  readonly json?: boolean;
  readonly clientIp: string;
  readonly method: string;
  readonly header: readonly [string, string][];
}

/** What `edgress dev` sees for a request from the same machine, so explain and a local curl agree. */
export const DEFAULT_CLIENT_IP = '127.0.0.1';

function clientIp(value: string): string {
  if (!parseAddress(value)) throw new InvalidArgumentError('not an IPv4 or IPv6 address.');
  return value;
}

function method(value: string): string {
  if (!/^[A-Za-z]+$/.test(value)) throw new InvalidArgumentError('not an HTTP method.');
  return value.toUpperCase();
}

function header(value: string, previous: readonly [string, string][]): [string, string][] {
  const colon = value.indexOf(':');
  const name = colon > 0 ? value.slice(0, colon).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) throw new InvalidArgumentError('give a header as "Name: value".');
  return [...previous, [name, value.slice(colon + 1).trim()]];
}

export function explainCommand(): Command {
  const command = new Command('explain')
    .summary('show what a request to a URL gets, and why')
    .description(
      'Explains what the edge worker would answer to a request for <url> from --client-ip without credentials: ' +
        'the outcome first (a redirect and its Location, 401 for an auth route, 403 for an allow-list that does not list ' +
        'the client, 404 when nothing matches, or the pod that answers), then the route chosen and why (exact host, then ' +
        '*.wildcard, then host-less rules; priority, Exact, longest path, age), each middleware and its decision, the ' +
        'Service and its endpoints. When no rule names the host, Ingresses that name it but are not served are listed ' +
        'with the reason. Exit status: 0 a route matched, 1 none did, 2 bad input.',
    )
    .argument('<url>', 'the request URL, e.g. https://shop.example.com/cart?x=1')
    .option('--table <file>', 'explain against a compiled table file instead of manifests')
    .option('--client-ip <ip>', "the client's address, as allow-lists see it", clientIp, DEFAULT_CLIENT_IP)
    .option('--method <method>', 'the request method (redirects answer 302/301 to GET, 307/308 to others)', method, 'GET')
    .option('-H, --header <header>', 'a request header, "Name: value", that HTTPRoute header matches see (repeatable)', header, [])
    .option('--json', 'print the explanation as one JSON object');
  withExplainEdgeFlags(withProviderFlags(withManifestInput(command)));
  return command.action(async (rawUrl: string, flags: ExplainFlags) => {
    const url = URL.parse(rawUrl);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return command.error(`error: not an http(s) URL: ${rawUrl}`, { exitCode: 2 });
    if ((flags.filename.length > 0) === (flags.table !== undefined)) {
      command.error('error: give either manifests (-f <file|dir>) or a table (--table <file>)', { exitCode: 2 });
    }
    const input = await loadTable(flags.table !== undefined ? { table: flags.table } : { filename: flags.filename }, providerOptions(flags));
    for (const line of input.fatal) process.stderr.write(`error: ${line}\n`);
    if (!input.table) process.exit(2);
    printDiagnostics(input, (line) => process.stderr.write(line + '\n'));
    const host = normalizeHost(url.host);
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    const path = normalizePath(url.pathname);
    const view = hostView(compileTable(input.table), host);
    const request = { host, hostHeader: url.host, scheme, path: path?.upstream ?? url.pathname, matchPath: path?.match ?? url.pathname, rawPath: path?.upstream ?? url.pathname, search: url.search, clientIp: flags.clientIp, method: flags.method, view } as const;
    const validHost = isRoutableHost(url.host);
    // Gateway API conditions see the method, the query and the headers given with --header.
    const asked = { method: flags.method, url: url.href, headers: new Headers([...flags.header]) };
    const selection = path && validHost ? selectRoute(view, path.match, scheme, asked) : undefined;
    const dialects = input.objects ? ingressDialects(input.objects, providerOptions(flags)) : undefined;
    const explanation = selection
      ? describeSelection({ ...request, conditionRequest: asked, selection, dialect: routeKind(selection.route.router) === 'Ingress' ? dialects?.get(selection.route.router.source) : undefined })
      : describeNoMatch({
          ...request, validPath: path !== null, validHost, selection: input.selection,
          ...(input.objects ? { unservedRoutes: unservedHttpRoutes(host, input.objects, input.diagnostics, input.table) } : {}),
        });
    const edge = await explainEdge(host, input.table, flags).catch((error: unknown) => {
      if (error instanceof UsageError) return command.error(`error: ${error.message}`, { exitCode: 2 });
      return { text: [`edge host:   ${host}: cannot read the Cloudflare account: ${describeApiError(error)}`], report: undefined };
    });
    process.stdout.write(flags.json ? JSON.stringify(edge?.report ? { ...explanation, edge: edge.report } : explanation, null, 2) + '\n' : [...explanationText(explanation), ...(edge?.text ?? [])].join('\n') + '\n');
    process.exitCode = selection ? 0 : 1;
  });
}
