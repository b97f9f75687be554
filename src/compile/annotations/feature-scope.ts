/**
 * What the HTTP-shaping annotation parsers (rewrite, redirect, headers, entry
 * points, error pages, client certificates) share while reading one Ingress:
 * the lookup with its key, Traefik's value parsers with diagnostics naming
 * that key, header checks, and the one way to fail closed.
 *
 * An invalid value is reported and ignored, except where ignoring it would
 * be unsafe (a path modifier, an HTTPS or allowed-hosts check, an entry-point
 * limit): then `failClosed` reports it and every route of the Ingress answers
 * 404 instead of serving without it (docs/design/decisions.md#decision-5-fail-per-path-and-closed-when-unsafe).
 *
 * @example
 * ```ts
 * const scope = new FeatureScope(annotations, report);
 * const permanent = scope.bool('redirect-permanent');   // false when absent or invalid
 * scope.failClosed(key, 'redirect-entry-point "ftp" is not http or https');
 * scope.denyReason;                                      // 'redirect-entry-point cannot be honoured'
 * ```
 */
import { quote, type Reporter } from '../diagnostics.ts';
import { annotationName } from './catalog.ts';
import { lookupAnnotation, type AnnotationValue } from './lookup.ts';
import { parseGoBool } from './values.ts';

/** The status of a route that fails closed because of an annotation it cannot honour. */
export const FAIL_CLOSED_STATUS = 404;

export class FeatureScope {
  readonly annotations: Readonly<Record<string, string>>;
  readonly report: Reporter;
  #denyReason: string | undefined;

  constructor(annotations: Readonly<Record<string, string>>, report: Reporter) {
    this.annotations = annotations;
    this.report = report;
  }

  /** Why the Ingress's routes fail closed (the first annotation that made them), if any did. */
  get denyReason(): string | undefined {
    return this.#denyReason;
  }

  /** Reports an annotation that cannot be honoured safely; the Ingress's routes answer 404. */
  failClosed(key: string, message: string): void {
    this.#denyReason ??= `${annotationName(key) ?? key} cannot be honoured`;
    this.report.error('InvalidAnnotation', key, `${message}; the routes of this Ingress fail closed (answer ${FAIL_CLOSED_STATUS})`);
  }

  /** Reports an invalid annotation that is ignored. */
  invalid(key: string, message: string): void {
    this.report.error('InvalidAnnotation', key, `${message}; ignored`);
  }

  lookup(name: string): AnnotationValue | undefined {
    return lookupAnnotation(this.annotations, name);
  }

  /** A string annotation: absent or empty means unset, as Traefik reads strings. */
  string(name: string): AnnotationValue | undefined {
    const found = this.lookup(name);
    return found && found.value !== '' ? found : undefined;
  }

  /**
   * A boolean annotation (Go `ParseBool`); false when absent. An invalid value
   * is reported and false, or fails closed when `unsafe` (the caller then
   * gets undefined).
   */
  bool(name: string, options: { readonly unsafe?: boolean; readonly fallback?: boolean } = {}): boolean | undefined {
    const fallback = options.fallback ?? false;
    const found = this.lookup(name);
    if (!found) return fallback;
    const value = parseGoBool(found.value);
    if (value !== undefined) return value;
    const message = `${name} ${quote(found.value)} is not a boolean (true, false, 1, 0, t, f)`;
    if (options.unsafe) {
      this.failClosed(found.key, message);
      return undefined;
    }
    this.report.error('InvalidAnnotation', found.key, `${message}; using ${fallback}`);
    return fallback;
  }
}
