/**
 * Every diagnostic code the compiler emits, as data. A code is a stable
 * reason (it becomes a Kubernetes Event reason), so never rename one; the
 * summary says what it means. User codes describe a problem in the objects or
 * options given; system codes describe a defect in edgress itself.
 *
 * @example
 * ```ts
 * const code: DiagnosticCode = DIAGNOSTIC_CODES.user.InvalidHost.code; // 'InvalidHost'
 * ```
 */

const code = <C extends string>(name: C, summary: string) => ({ code: name, summary }) as const;

/** Problems in the manifests or provider options. */
export const USER_CODES = {
  InvalidObject: code('InvalidObject', 'An object or one of its fields has the wrong shape; that part is ignored.'),
  DuplicateObject: code('DuplicateObject', 'The same kind/namespace/name appears twice; the later one is used.'),
  InvalidLabelSelector: code('InvalidLabelSelector', 'The labelSelector option does not parse; no Ingress is served.'),
  InvalidAnnotation: code('InvalidAnnotation', 'An annotation value does not parse; its default applies or the path is not routed.'),
  DeprecatedAnnotation: code('DeprecatedAnnotation', 'An annotation value is deprecated in Traefik 1.7 but still honoured.'),
  IgnoredAnnotation: code('IgnoredAnnotation', 'An annotation has no effect where it is set.'),
  UnknownAnnotation: code('UnknownAnnotation', 'A key under a Traefik annotation prefix that Traefik 1.7 does not know, or a near miss of a known key (a typo, another letter case); ignored, with a suggestion.'),
  ForeignAnnotation: code('ForeignAnnotation', "Another Ingress controller's annotation (nginx.ingress.kubernetes.io/, haproxy.org/, …) that edgress does not read; ignored."),
  UnenforcedAccessAnnotation: code('UnenforcedAccessAnnotation', 'An annotation that restricts access (auth, allow or deny list, client certificates) and that edgress does not read (another controller\'s, misspelled, wrong case); the routes answer 404, never unprotected.'),
  RegexLikePath: code('RegexLikePath', 'A path that looks like a regex is matched as literal text; a regex path needs another dialect.'),
  MisplacedAnnotation: code('MisplacedAnnotation', 'A Service annotation set on an Ingress (Traefik reads it from the Service).'),
  InvalidHost: code('InvalidHost', 'A rule host is not a lower-case DNS name or *.wildcard; the rule is skipped.'),
  EmptyRule: code('EmptyRule', 'A rule has no http paths; it is ignored.'),
  InvalidPath: code('InvalidPath', 'A path or pathType the API server would reject; the path is skipped.'),
  UnsupportedPath: code('UnsupportedPath', 'A Traefik path template ({name:regex}); the path is skipped.'),
  InvalidBackend: code('InvalidBackend', 'A backend without a usable Service name or port; the path is skipped.'),
  UnsupportedBackend: code('UnsupportedBackend', 'A resource backend; only Services are proxied, the path is skipped.'),
  ServiceNotFound: code('ServiceNotFound', 'The backend Service does not exist; the route answers 503.'),
  ServicePortNotFound: code('ServicePortNotFound', 'The Service has no such port; the route answers 503.'),
  NoReadyEndpoints: code('NoReadyEndpoints', 'The Service port has no ready endpoint; the route answers 503.'),
  DuplicateRoute: code('DuplicateRoute', 'Host and path already claimed by an older Ingress (or earlier in this one).'),
  DuplicateDefaultBackend: code('DuplicateDefaultBackend', 'An older Ingress already provides the default backend.'),
  InvalidTLSSecret: code('InvalidTLSSecret', 'A spec.tls Secret is missing or unusable; TLS still terminates at the edge.'),
  InvalidAllowList: code('InvalidAllowList', 'whitelist-source-range has an entry that is not an IP address or CIDR; the routes answer 403.'),
  InvalidAuth: code('InvalidAuth', 'Authentication annotations that cannot be enforced as written; the routes answer 404, never unprotected.'),
  InvalidAuthSecret: code('InvalidAuthSecret', 'The Secret named by auth-secret or auth-tls-secret is missing or unusable; the routes answer 404.'),
  RiskyAnnotation: code('RiskyAnnotation', 'An annotation value works but is risky at the edge (e.g. a regex that may backtrack); it is honoured.'),
  EdgeLimitation: code('EdgeLimitation', 'An annotation asks for something the edge cannot provide; that part is left out, the rest is honoured.'),
  GatewayNotAccepted: code('GatewayNotAccepted', 'A GatewayClass, Gateway or listener of ours is not accepted, or has unresolved references (its status says why); what it cannot serve is not served.'),
  ParentNotFound: code('ParentNotFound', 'An HTTPRoute parentRef names a Gateway that is not among the objects; that parent is ignored.'),
  RouteNotAccepted: code('RouteNotAccepted', 'An HTTPRoute is not accepted by a Gateway of ours (NotAllowedByListeners, NoMatchingListenerHostname, NoMatchingParent, UnsupportedValue); it is not served through that Gateway.'),
  InvalidBackendRef: code('InvalidBackendRef', 'An HTTPRoute backendRef or mirror is unusable (InvalidKind, BackendNotFound, RefNotPermitted); its share of the traffic answers 500, a mirror is dropped.'),
  UnsupportedRouteValue: code('UnsupportedRouteValue', 'An HTTPRoute rule uses a value or filter edgress does not support; the rule is dropped (the route is PartiallyInvalid).'),
  ShadowedRoute: code('ShadowedRoute', 'An HTTPRoute match equals an Ingress route (same host, path and schemes, no other conditions); the Ingress route answers.'),
  TooManyDiagnostics: code('TooManyDiagnostics', 'An object has more diagnostics than the limit; the rest are not reported (the table is compiled as usual).'),
} as const;

/** Defects in edgress: report them as bugs. */
export const SYSTEM_CODES = {
  InternalError: code('InternalError', 'The compiler failed on this object; it contributes nothing. Please report.'),
} as const;

/** All codes, by audience. */
export const DIAGNOSTIC_CODES = { user: USER_CODES, system: SYSTEM_CODES } as const;

export type UserCode = keyof typeof USER_CODES;
export type SystemCode = keyof typeof SYSTEM_CODES;
export type DiagnosticCode = UserCode | SystemCode;
