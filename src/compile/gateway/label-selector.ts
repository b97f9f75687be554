/**
 * `metav1.LabelSelector` objects (`matchLabels`, `matchExpressions` with
 * In, NotIn, Exists, DoesNotExist), as listener `allowedRoutes` selects
 * namespaces. An empty selector selects everything, as in Kubernetes.
 *
 * @example
 * ```ts
 * const read = readLabelSelector({ matchLabels: { team: 'web' } });
 * if (read.ok) read.selector({ team: 'web' }); // true
 * ```
 */
import type { LabelSelector } from '../selector.ts';
import { quote } from '../diagnostics.ts';
import { asArray, asRecord, asString } from '../read/fields.ts';

export type LabelSelectorRead = { readonly ok: true; readonly selector: LabelSelector } | { readonly ok: false; readonly error: string };

export function readLabelSelector(value: unknown): LabelSelectorRead {
  const record = asRecord(value);
  if (!record) return { ok: false, error: 'must be a label selector (matchLabels, matchExpressions)' };
  const tests: LabelSelector[] = [];
  const labels = record['matchLabels'];
  if (labels !== undefined && labels !== null) {
    const map = asRecord(labels);
    if (!map) return { ok: false, error: 'matchLabels must be a map of strings' };
    for (const [key, wanted] of Object.entries(map)) {
      if (typeof wanted !== 'string') return { ok: false, error: `matchLabels[${quote(key)}] must be a string` };
      tests.push((set) => set[key] === wanted);
    }
  }
  const expressions = record['matchExpressions'];
  if (expressions !== undefined && expressions !== null) {
    const list = asArray(expressions);
    if (!list) return { ok: false, error: 'matchExpressions must be a list' };
    for (const [index, entry] of list.entries()) {
      const test = readExpression(entry);
      if (typeof test === 'string') return { ok: false, error: `matchExpressions[${index}]: ${test}` };
      tests.push(test);
    }
  }
  return { ok: true, selector: (set) => tests.every((test) => test(set)) };
}

function readExpression(entry: unknown): LabelSelector | string {
  const record = asRecord(entry);
  const key = asString(record?.['key']);
  const operator = asString(record?.['operator']);
  if (!record || !key) return 'needs a key';
  const rawValues = record['values'] ?? [];
  const values = asArray(rawValues);
  if (!values || !values.every((value) => typeof value === 'string')) return 'values must be a list of strings';
  const wanted = new Set(values as string[]);
  switch (operator) {
    case 'In':
      return wanted.size === 0 ? 'In needs values' : (set) => set[key] !== undefined && wanted.has(set[key]);
    case 'NotIn':
      return wanted.size === 0 ? 'NotIn needs values' : (set) => set[key] === undefined || !wanted.has(set[key]);
    case 'Exists':
      return wanted.size > 0 ? 'Exists takes no values' : (set) => set[key] !== undefined;
    case 'DoesNotExist':
      return wanted.size > 0 ? 'DoesNotExist takes no values' : (set) => set[key] === undefined;
    default:
      return `operator ${quote(operator ?? '')} is not In, NotIn, Exists or DoesNotExist`;
  }
}
