/**
 * Compile diagnostics as Kubernetes Events (type Warning, reason = the
 * diagnostic code) on the object they are about. Deduplicated: a diagnostic
 * still present in the next compile is not sent again; one that comes back
 * after going away bumps the count of its Event. Event names are derived
 * from object, reason and message, so a restarted or newly elected agent
 * finds the existing Event (409) and updates its count instead of adding a
 * duplicate.
 *
 * @example
 * ```ts
 * const events = new DiagnosticEvents(writers.events, clock, log);
 * await events.record(result.diagnostics, cache);
 * ```
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../../src/compile/api.ts';
import type { Clock } from '../common/clock.ts';
import { describeError, statusOf } from '../common/kube/errors.ts';
import type { EventWriter } from '../common/kube/writers.ts';
import type { Logger } from '../common/log.ts';
import type { ObjectLookup } from '../common/kube/object-lookup.ts';

/** Kinds that exist in the API server; diagnostics about anything else (provider options) are only logged. */
const KUBERNETES_KINDS = new Set(['Ingress', 'Service', 'Endpoints', 'EndpointSlice', 'Secret', 'ConfigMap', 'IngressClass', 'GatewayClass', 'Gateway', 'HTTPRoute', 'ReferenceGrant']);
/** Where Events about cluster-scoped objects (IngressClass, GatewayClass) go, as kubectl does. */
const CLUSTER_EVENT_NAMESPACE = 'default';

export class DiagnosticEvents {
  readonly #writer: EventWriter;
  readonly #clock: Clock;
  readonly #log: Logger;
  /** Event key → the count its Event has. */
  readonly #counts = new Map<string, number>();
  /** Keys of the previous compile's diagnostics. */
  #active = new Set<string>();

  constructor(writer: EventWriter, clock: Clock, log: Logger) {
    this.#writer = writer;
    this.#clock = clock;
    this.#log = log;
  }

  async record(diagnostics: readonly Diagnostic[], cache: ObjectLookup): Promise<number> {
    const seen = new Set<string>();
    // Only what was sent (or still stands) counts as active; a failed send is tried again next compile.
    const active = new Set<string>();
    for (const diagnostic of diagnostics) {
      const key = eventKey(diagnostic);
      if (!KUBERNETES_KINDS.has(diagnostic.object.kind) || seen.has(key)) continue;
      seen.add(key);
      if (this.#active.has(key) || (await this.#send(key, diagnostic, cache))) active.add(key);
    }
    const sent = [...active].filter((key) => !this.#active.has(key)).length;
    this.#active = active;
    return sent;
  }

  async #send(key: string, diagnostic: Diagnostic, cache: ObjectLookup): Promise<boolean> {
    const { kind, namespace, name } = diagnostic.object;
    const eventNamespace = namespace ?? CLUSTER_EVENT_NAMESPACE;
    const eventName = `${name.slice(0, 200)}.${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
    const time = new Date(this.#clock.now());
    try {
      const known = this.#counts.get(key);
      if (known !== undefined) return await this.#bump(key, eventNamespace, eventName, known, time);
      const object = cache.find(kind, namespace, name);
      const involvedObject = { kind, name, ...(namespace ? { namespace } : {}), ...(object?.metadata.uid ? { uid: object.metadata.uid } : {}), ...(typeof object?.apiVersion === 'string' ? { apiVersion: object.apiVersion } : {}) };
      await this.#writer.createEvent({ name: eventName, namespace: eventNamespace, involvedObject, reason: diagnostic.code, message: diagnostic.message, count: 1, time });
      this.#counts.set(key, 1);
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return this.#bump(key, eventNamespace, eventName, await this.#writer.readEventCount(eventNamespace, eventName), time).catch(() => false);
      this.#log.warn('event-failed', { object: `${kind}/${namespace ?? ''}/${name}`, reason: diagnostic.code, error: describeError(error) });
      return false;
    }
  }

  async #bump(key: string, namespace: string, name: string, count: number, time: Date): Promise<boolean> {
    await this.#writer.updateEventCount(namespace, name, count + 1, time);
    this.#counts.set(key, count + 1);
    return true;
  }
}

function eventKey(diagnostic: Diagnostic): string {
  const { kind, namespace, name } = diagnostic.object;
  return `${kind}\n${namespace ?? ''}\n${name}\n${diagnostic.code}\n${diagnostic.message}`;
}
