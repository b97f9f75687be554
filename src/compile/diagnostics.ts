/**
 * Collecting and printing diagnostics. Producers report through a
 * {@link Reporter} bound to one object, so every diagnostic names its object;
 * they quote user values with {@link quote}, so a message is always one short
 * line whatever the input.
 *
 * @example
 * ```ts
 * const sink = new DiagnosticSink();
 * sink.about({ kind: 'Ingress', namespace: 'shop', name: 'web' })
 *   .error('InvalidHost', 'spec.rules[0].host', `host ${quote('Foo.com')} is not lower-case`);
 * sink.list.map(formatDiagnostic);
 * // ['error InvalidHost Ingress shop/web spec.rules[0].host: host "Foo.com" is not lower-case']
 * ```
 */
import type { Diagnostic, ObjectRef } from './api.ts';
import type { DiagnosticCode } from './codes.ts';
import { COMPILE_LIMITS } from './limits.ts';

/** Reports problems about one object. `field` is a spec path or an annotation key. */
export interface Reporter {
  readonly object: ObjectRef;
  error(code: DiagnosticCode, field: string | undefined, message: string): void;
  warn(code: DiagnosticCode, field: string | undefined, message: string): void;
}

/**
 * Accumulates diagnostics in the order they are reported, at most
 * `COMPILE_LIMITS.diagnosticsPerObject` per object (then one saying so), so
 * an object repeating one mistake thousands of times cannot flood logs or
 * Kubernetes Events.
 */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  readonly #counts = new Map<string, number>();

  /** A reporter whose diagnostics all name `object`. */
  about(object: ObjectRef): Reporter {
    const id = describeObject(object);
    const add = (severity: Diagnostic['severity']) => (code: DiagnosticCode, field: string | undefined, message: string) => {
      const count = (this.#counts.get(id) ?? 0) + 1;
      this.#counts.set(id, count);
      const limit = COMPILE_LIMITS.diagnosticsPerObject;
      if (count > limit + 1) return;
      if (count === limit + 1) {
        this.list.push({ severity: 'warning', code: 'TooManyDiagnostics', object, message: `more than ${limit} diagnostics; the rest are not reported` });
        return;
      }
      this.list.push(field === undefined ? { severity, code, object, message } : { severity, code, object, field, message });
    };
    return { object, error: add('error'), warn: add('warning') };
  }
}

const MAX_QUOTED = 60;

/**
 * A user-supplied value as a JSON string literal, cut to 60 characters, so
 * it can never break the one-line format or flood a log.
 *
 * @example
 * ```ts
 * quote('a"b'); // '"a\\"b"'
 * ```
 */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : describeValue(value);
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text);
}

/** Any value as text; an object without a prototype (which `String` cannot convert) by its JSON. */
function describeValue(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return JSON.stringify(value) ?? typeof value;
    } catch {
      return typeof value;
    }
  }
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
export function describeObject(object: ObjectRef): string {
  return object.namespace === undefined ? `${object.kind} ${object.name}` : `${object.kind} ${object.namespace}/${object.name}`;
}

/**
 * One line: severity, code, object, field, message.
 *
 * @example
 * ```ts
 * formatDiagnostic({ severity: 'warning', code: 'NoReadyEndpoints',
 *   object: { kind: 'Ingress', namespace: 'shop', name: 'web' },
 *   field: 'spec.rules[0].http.paths[0].backend', message: 'no ready endpoints' });
 * // 'warning NoReadyEndpoints Ingress shop/web spec.rules[0].http.paths[0].backend: no ready endpoints'
 * ```
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.field === undefined ? describeObject(d.object) : `${describeObject(d.object)} ${d.field}`;
  return `${d.severity} ${d.code} ${where}: ${d.message}`.replace(/[\r\n]+/g, ' ');
}
