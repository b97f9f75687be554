/**
 * The Gateway API status the compiler computes: a pure result, written to
 * the API server by the agent (it adds `lastTransitionTime`, keeping the old
 * one when a condition's status did not change) and printed by `compile` and
 * `dev` as diagnostics. Names, reasons and shapes are the Gateway API's own
 * (`gateway.networking.k8s.io/v1` status types).
 *
 * @example
 * ```ts
 * const { gateway } = compile(objects, options);
 * for (const route of gateway?.httpRoutes ?? []) {
 *   for (const parent of route.parents) parent.conditions.find((c) => c.type === 'Accepted')?.reason;
 * }
 * ```
 */

/** A `metav1.Condition` without `lastTransitionTime` (the writer keeps or sets it). */
export interface GatewayCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  /** `metadata.generation` of the object the condition is about, when the object has one. */
  readonly observedGeneration?: number;
}

/** `RouteGroupKind`: group is always spelt out. */
export interface RouteGroupKind {
  readonly group: string;
  readonly kind: string;
}

export interface GatewayClassStatus {
  readonly name: string;
  readonly conditions: readonly GatewayCondition[];
}

export interface ListenerStatus {
  readonly name: string;
  readonly supportedKinds: readonly RouteGroupKind[];
  /** HTTPRoutes attached to this listener and Accepted. */
  readonly attachedRoutes: number;
  readonly conditions: readonly GatewayCondition[];
}

export interface GatewayStatus {
  readonly namespace: string;
  readonly name: string;
  readonly conditions: readonly GatewayCondition[];
  /** One per listener of the spec, in spec order. */
  readonly listeners: readonly ListenerStatus[];
}

/** A `parentRef` as the route's spec gave it (absent fields stay absent, as the API compares them). */
export interface ParentRefStatusKey {
  readonly group?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name: string;
  readonly sectionName?: string;
  readonly port?: number;
}

export interface RouteParentStatus {
  readonly parentRef: ParentRefStatusKey;
  /** The GatewayClass controller name (the `gatewayController` option). */
  readonly controllerName: string;
  /** `Accepted`, `ResolvedRefs`, and `PartiallyInvalid` when some rules were dropped. */
  readonly conditions: readonly GatewayCondition[];
}

export interface HTTPRouteStatus {
  readonly namespace: string;
  readonly name: string;
  /** One per parentRef naming a Gateway of ours, in spec order; other parents are not ours to report. */
  readonly parents: readonly RouteParentStatus[];
}

/** Everything the compiler decided about the Gateway API objects it was given. */
export interface GatewayStatusReport {
  readonly controllerName: string;
  /** GatewayClasses whose `spec.controllerName` is ours, by name. */
  readonly gatewayClasses: readonly GatewayClassStatus[];
  /** Gateways of those classes, by namespace/name. */
  readonly gateways: readonly GatewayStatus[];
  /** HTTPRoutes with at least one parentRef to a Gateway of ours, by namespace/name. */
  readonly httpRoutes: readonly HTTPRouteStatus[];
}

/** The condition of `type`, or undefined. */
export function conditionOf(conditions: readonly GatewayCondition[], type: string): GatewayCondition | undefined {
  return conditions.find((condition) => condition.type === type);
}
