/**
 * YAML under the compiler's limits (`./limits.ts`): every YAML text the
 * compiler reads (manifest documents, YAML-valued annotations) is loaded
 * here. js-yaml shares the node an alias names instead of copying it, so a
 * billion laughs parses in microseconds and explodes later, in whatever
 * walks the result; an alias can even make a document contain itself. So
 * after loading, the result is walked once as if every alias were copied,
 * under a node budget and a depth limit, and refused when it exceeds them.
 *
 * @example
 * ```ts
 * const loaded = loadYamlDocuments(text, { maxChars: 4096, maxExpandedNodes: 10_000 });
 * if (!loaded.ok) report(loaded.error); // e.g. 'expands to more than 10000 nodes through YAML aliases'
 * ```
 */
import { loadAll } from 'js-yaml';
import { COMPILE_LIMITS } from './limits.ts';

export interface YamlLimits {
  readonly maxChars: number;
  readonly maxExpandedNodes: number;
}

export type LoadedYaml =
  | { readonly ok: true; readonly documents: unknown[] }
  | { readonly ok: false; readonly error: string; readonly cause?: unknown };

/** Every document of `text`, or why it cannot be used (syntax errors keep js-yaml's exception as `cause`). */
export function loadYamlDocuments(text: string, limits: YamlLimits): LoadedYaml {
  if (text.length > limits.maxChars) return { ok: false, error: `is longer than ${limits.maxChars} characters` };
  let documents: unknown[];
  try {
    documents = loadAll(text, { maxAliases: COMPILE_LIMITS.yamlAliases, maxDepth: COMPILE_LIMITS.yamlDepth });
  } catch (error) {
    return { ok: false, error: firstLine(error), cause: error };
  }
  const budget = { nodes: limits.maxExpandedNodes, limit: limits.maxExpandedNodes };
  for (const document of documents) {
    const problem = measure(document, budget, 0, new Set());
    if (problem) return { ok: false, error: problem };
  }
  return { ok: true, documents };
}

/**
 * Walks `value` as if aliases were copies; a problem, or undefined. Only
 * arrays and plain objects are entered (js-yaml builds nothing else that
 * holds other nodes).
 */
function measure(value: unknown, budget: { nodes: number; readonly limit: number }, depth: number, ancestors: Set<object>): string | undefined {
  budget.nodes -= 1;
  if (budget.nodes < 0) return `expands to more than ${budget.limit} nodes through YAML aliases`;
  if (typeof value !== 'object' || value === null) return undefined;
  if (ancestors.has(value)) return 'contains itself through a YAML alias';
  if (depth >= COMPILE_LIMITS.yamlDepth) return `is nested deeper than ${COMPILE_LIMITS.yamlDepth} levels through YAML aliases`;
  ancestors.add(value);
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) {
    const problem = measure(child, budget, depth + 1, ancestors);
    if (problem) return problem;
  }
  ancestors.delete(value);
  return undefined;
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'invalid YAML') : 'invalid YAML';
}
