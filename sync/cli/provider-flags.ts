/**
 * The provider flags every command shares (Traefik 1.7's `[kubernetes]`
 * options that shape the table) and the `-f` manifest input.
 *
 * @example
 * ```ts
 * withProviderFlags(new Command('compile')).action((flags) => compileFrom(providerOptions(flags)));
 * ```
 */
import { Command } from 'commander';
import type { ProviderOptions } from '../../src/compile/api.ts';
import { grouped } from './help-format.ts';

export interface ProviderFlags {
  readonly ingressClass?: string;
  readonly namespace: string[];
  readonly labelSelector?: string;
  readonly disablePassHostHeaders?: boolean;
  readonly enablePassTlsCert?: boolean;
  readonly controllerName?: string;
  readonly ingressNginx?: boolean;
  readonly ingressNginxController?: string;
  readonly allowSnippetHeaders?: boolean;
  readonly gatewayController?: string;
}

/** Collects a repeatable option; commas separate values too, as in Traefik's CLI. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(/[,;]/).map((part) => part.trim()).filter(Boolean)];
}

export function withProviderFlags(command: Command): Command {
  return grouped(command, 'Which Ingresses are served (Traefik [kubernetes] options):', (flags) => flags
    .option('--ingress-class <name>', 'serve only Ingresses of this class (default: class-less, empty or "traefik", plus IngressClasses whose controller is ours)')
    .option('-n, --namespace <name>', 'serve only this namespace (repeatable; default: all)', collect, [])
    .option('-l, --label-selector <selector>', 'serve only Ingresses matching this Kubernetes label selector')
    .option('--disable-pass-host-headers', 'send the endpoint address as Host unless an Ingress sets preserve-host')
    .option('--enable-pass-tls-cert', 'default for the pass-tls-cert annotation')
    .option('--controller-name <name>', 'IngressClass spec.controller that marks a class as ours', 'edgress.dev/ingress-controller')
    .option('--ingress-nginx', 'also serve what ingress-nginx would (class "nginx", IngressClasses of --ingress-nginx-controller), reading their nginx.ingress.kubernetes.io/* annotations')
    .option('--ingress-nginx-controller <name>', 'IngressClass spec.controller of ingress-nginx classes (with --ingress-nginx)', 'k8s.io/ingress-nginx')
    .option('--allow-snippet-headers', 'honour add_header/more_set_headers/more_clear_headers/proxy_set_header in configuration-snippet (with --ingress-nginx)')
    .option('--gateway-controller <name>', 'GatewayClass spec.controllerName that marks a class as ours: its Gateways and their HTTPRoutes are served (Gateway API)', 'edgress.dev/gateway-controller'));
}

export function withManifestInput(command: Command): Command {
  return command.option('-f, --filename <file|dir>', 'manifest file or directory (repeatable)', collect, []);
}

export function providerOptions(flags: ProviderFlags): ProviderOptions {
  return {
    namespaces: flags.namespace,
    ...(flags.labelSelector !== undefined ? { labelSelector: flags.labelSelector } : {}),
    ...(flags.ingressClass !== undefined ? { ingressClass: flags.ingressClass } : {}),
    ...(flags.controllerName !== undefined ? { controllerName: flags.controllerName } : {}),
    disablePassHostHeaders: flags.disablePassHostHeaders === true,
    enablePassTLSCert: flags.enablePassTlsCert === true,
    ...(flags.ingressNginx === true ? { ingressNginx: true } : {}),
    ...(flags.ingressNginx === true && flags.ingressNginxController !== undefined ? { ingressNginxController: flags.ingressNginxController } : {}),
    ...(flags.allowSnippetHeaders === true ? { allowSnippetHeaders: true } : {}),
    ...(flags.gatewayController !== undefined ? { gatewayController: flags.gatewayController } : {}),
  };
}
