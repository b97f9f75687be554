/**
 * The compiler's contract: Kubernetes objects in, a routing table and
 * diagnostics out. Everything that reads annotations lives behind this.
 *
 * @example
 * ```ts
 * const { table, diagnostics, served } = compile(objects, { ingressClass: '' });
 * for (const d of diagnostics) console.error(formatDiagnostic(d));
 * ```
 */
import type { Table } from '../table/schema.ts';
import type { GatewayStatusReport } from './gateway/report.ts';

/** Any Kubernetes object as parsed from YAML or JSON; the compiler checks shapes itself. */
export interface KubeObject {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: unknown;
  readonly [field: string]: unknown;
}

/**
 * Traefik 1.7's `[kubernetes]` provider options that shape the table, plus
 * the IngressClass controller name edgress answers to.
 */
export interface ProviderOptions {
  /** Namespaces to serve; empty or undefined means all. */
  readonly namespaces?: readonly string[];
  /** Kubernetes label selector applied to Ingresses only (`a=b,!c`, `x in (y)`). */
  readonly labelSelector?: string;
  /** Traefik's `ingressClass`: empty means class-less, empty or `traefik` Ingresses. */
  readonly ingressClass?: string;
  /** IngressClass `spec.controller` value that marks a class as ours. */
  readonly controllerName?: string;
  /** Default of `passHostHeader` is `!disablePassHostHeaders`. */
  readonly disablePassHostHeaders?: boolean;
  /** Global default for `pass-tls-cert`. */
  readonly enablePassTLSCert?: boolean;
  /**
   * Also serve what ingress-nginx would (`--ingress-nginx`): Ingresses of an
   * IngressClass whose controller is {@link ingressNginxController}, and
   * Ingresses annotated `kubernetes.io/ingress.class: nginx`. They are read
   * in the nginx dialect (`src/compile/nginx/`).
   */
  readonly ingressNginx?: boolean;
  /** IngressClass `spec.controller` of ingress-nginx's classes (default {@link DEFAULT_NGINX_CONTROLLER}). */
  readonly ingressNginxController?: string;
  /** Honour `configuration-snippet` header directives (`--allow-snippet-headers`); off: snippets are refused. */
  readonly allowSnippetHeaders?: boolean;
  /**
   * GatewayClass `spec.controllerName` that marks a class as ours (`--gateway-controller`,
   * default {@link DEFAULT_GATEWAY_CONTROLLER}): its Gateways and their HTTPRoutes are served.
   */
  readonly gatewayController?: string;
}

/** How an Ingress's annotations are read: Traefik 1.7's (`traefik`) or ingress-nginx's (`nginx`). */
export type Dialect = 'traefik' | 'nginx';

/** The IngressClass controller string edgress owns by default. */
export const DEFAULT_CONTROLLER_NAME = 'edgress.dev/ingress-controller';

/** The GatewayClass controller name edgress owns by default. */
export const DEFAULT_GATEWAY_CONTROLLER = 'edgress.dev/gateway-controller';

/** The IngressClass controller string of ingress-nginx, served in the nginx dialect. */
export const DEFAULT_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';

/** Which Kubernetes object a diagnostic is about. */
export interface ObjectRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/**
 * One problem found while compiling. `code` is a stable reason (it becomes a
 * Kubernetes Event reason); `field` names the annotation key or spec field.
 */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly object: ObjectRef;
  readonly field?: string;
  readonly message: string;
}

export interface CompileResult {
  readonly table: Table;
  readonly diagnostics: readonly Diagnostic[];
  /** `namespace/name` of every Ingress that is ours and contributed routes (for status updates). */
  readonly served: readonly string[];
  /**
   * Gateway API status (GatewayClasses, Gateways and listeners, HTTPRoute parents), present when
   * a GatewayClass of ours or an HTTPRoute was given (`./gateway/report.ts`).
   */
  readonly gateway?: GatewayStatusReport;
  /**
   * HTTPRoutes with a Gateway of ours as parent: served (contributed routers) or accepted by none, by
   * `namespace/name`; `elsewhere`: those whose parents are all Gateways of other controllers (or of no
   * GatewayClass), with the controllers (or `GatewayClass "x" not found`) in `controllers`.
   */
  readonly httpRoutes?: {
    readonly served: readonly string[];
    readonly notAccepted: readonly string[];
    readonly elsewhere?: readonly string[];
    readonly controllers?: readonly string[];
  };
}
