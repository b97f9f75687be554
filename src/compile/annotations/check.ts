/**
 * Nothing dropped without a word: every annotation key of a served Ingress
 * that its dialect does not read gets a diagnostic.
 *
 * - Keys under the dialect's own prefixes that it does not know, and keys
 *   one or two typos (or only letter case: Kubernetes keys are
 *   case-sensitive) away from one it reads: `UnknownAnnotation`, with "did
 *   you mean …".
 * - Keys of other Ingress controllers (`./foreign.ts`): `ForeignAnnotation`.
 * - Any of those that restricts access (auth, allow and deny lists, client
 *   certificates): `UnenforcedAccessAnnotation`, an error, and every route
 *   of the Ingress fails closed (404), as when edgress's own auth cannot be
 *   compiled: dropping the key would serve the route unprotected.
 * - Service annotations set on an Ingress: `MisplacedAnnotation`.
 *
 * Other keys (cert-manager's, external-dns's, kubectl's, an organisation's
 * own) are read by someone else and pass silently.
 *
 * @example
 * ```ts
 * checkIngressAnnotations({ 'nginx.ingress.kubernetes.io/auth-url': 'https://auth/' }, report);
 * // error UnenforcedAccessAnnotation … → { kind: 'deny', status: 404, … }
 * ```
 */
import type { MiddlewareOf } from '../../table/middleware.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import { TRAEFIK_DIALECT, type AnnotationDialect } from './dialect.ts';
import { FAIL_CLOSED_STATUS } from './feature-scope.ts';
import { foreignController, restrictsAccess } from './foreign.ts';
import { editDistance, nearest } from './spelling.ts';

interface Verdict {
  readonly code: 'UnknownAnnotation' | 'ForeignAnnotation';
  readonly message: string;
  readonly restrictsAccess: boolean;
}

/**
 * Reports every key of an Ingress that `dialect` does not read; a `deny`
 * when one of them restricts access (the routes must then fail closed).
 */
export function checkIngressAnnotations(
  annotations: Readonly<Record<string, string>>,
  report: Reporter,
  dialect: AnnotationDialect = TRAEFIK_DIALECT,
  failClosedStatus: MiddlewareOf<'deny'>['status'] = FAIL_CLOSED_STATUS,
): MiddlewareOf<'deny'> | undefined {
  let unenforced = false;
  for (const key of Object.keys(annotations).sort()) {
    if (dialect.reads(key)) {
      const why = dialect.misplaced(key);
      if (why) report.warn('MisplacedAnnotation', key, why);
      continue;
    }
    const verdict = judgeKey(key, dialect);
    if (!verdict) continue;
    if (verdict.restrictsAccess) {
      unenforced = true;
      const consequence = `the routes of this Ingress fail closed (answer ${failClosedStatus}) rather than serve without it`;
      report.error('UnenforcedAccessAnnotation', key, `${verdict.message}; it restricts access, so ${consequence}`);
    } else report.warn(verdict.code, key, `${verdict.message}; ignored`);
  }
  return unenforced ? { kind: 'deny', status: failClosedStatus, reason: 'an access-restricting annotation is not read by edgress' } : undefined;
}

function judgeKey(key: string, dialect: AnnotationDialect): Verdict | undefined {
  const own = dialect.prefixes.find((prefix) => key.startsWith(prefix));
  if (own !== undefined) {
    const name = key.slice(own.length);
    const suggestion = suggestKey(key, dialect);
    const v2 = /^(?:router|service)\./.test(name) && own.startsWith('traefik.') ? ' (it is a Traefik v2 annotation)' : '';
    // A legacy label (`traefik.frontend.…`) is named whole: its tail alone means nothing.
    const shown = own.endsWith('/') ? name : key;
    const article = /^[aeiou]/i.test(dialect.name) ? 'an' : 'a';
    const unknown = `${quote(shown)} is not ${article} ${dialect.name} annotation${v2}${didYouMean(suggestion)}`;
    return {
      code: 'UnknownAnnotation',
      message: sameLetters(key, suggestion) ? caseMessage(suggestion) : unknown,
      restrictsAccess: (suggestion !== undefined && dialect.restrictsAccess(suggestion)) || restrictsAccess(name),
    };
  }
  const foreign = foreignController(key, dialect.prefixes);
  if (foreign) {
    const instead = foreign.equivalent ? ` (the edgress equivalent: ${foreign.equivalent})` : '';
    return { code: 'ForeignAnnotation', message: `an annotation of ${foreign.controller}, which edgress does not read${instead}`, restrictsAccess: foreign.restrictsAccess };
  }
  if (!looksLikeOwn(key, dialect)) return undefined;
  const suggestion = suggestKey(key, dialect);
  if (suggestion === undefined) return undefined;
  const message = sameLetters(key, suggestion) ? caseMessage(suggestion) : `not a key edgress reads${didYouMean(suggestion)}`;
  return { code: 'UnknownAnnotation', message, restrictsAccess: dialect.restrictsAccess(suggestion) };
}

function sameLetters(key: string, suggestion: string | undefined): suggestion is string {
  return suggestion !== undefined && suggestion.toLowerCase() === key.toLowerCase();
}

function caseMessage(suggestion: string): string {
  return `annotation keys are case-sensitive, so this key is not read${didYouMean(suggestion)}`;
}

function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
}

/** Worth a spelling check: near one of the dialect's prefixes, or naming Traefik or an Ingress. */
function looksLikeOwn(key: string, dialect: AnnotationDialect): boolean {
  const lower = key.toLowerCase();
  if (lower.includes('traefik') || lower.includes('ingress')) return true;
  return dialect.prefixes.some((prefix) => editDistance(lower.slice(0, prefix.length), prefix, 2) <= 2);
}

/** Lower-cased key → the key as the dialect spells it, per dialect (built on first use). */
const LOWER_KEYS = new WeakMap<AnnotationDialect, ReadonlyMap<string, string>>();

/** The key of the dialect that `key` most likely meant: same letters in another case, else one or two typos away. */
export function suggestKey(key: string, dialect: AnnotationDialect): string | undefined {
  let lowerKeys = LOWER_KEYS.get(dialect);
  if (!lowerKeys) LOWER_KEYS.set(dialect, (lowerKeys = new Map([...dialect.keys].map((known) => [known.toLowerCase(), known]))));
  const lower = key.toLowerCase();
  const meant = lowerKeys.get(lower) ?? lowerKeys.get(nearest(lower, lowerKeys.keys()) ?? '');
  return meant === key ? undefined : meant;
}
