/**
 * JSON merge patch (RFC 7396), which the test API server also uses for
 * strategic merge patches (the objects the agent patches have no lists
 * whose merge keys would matter), and a small JSON patch (RFC 6902).
 */

type Json = unknown;

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

interface JsonPatchOperation {
  readonly op: string;
  readonly path: string;
  readonly value?: Json;
}

/** `add`, `replace`, `remove` and `test` on object members. */
export function jsonPatch(target: Json, operations: readonly JsonPatchOperation[]): Json {
  const result = structuredClone(target) as Record<string, Json>;
  for (const operation of operations) {
    const keys = operation.path.split('/').slice(1).map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    if (last === undefined) throw new Error('empty JSON patch path');
    let parent: Record<string, Json> = result;
    for (const key of keys) {
      const next = parent[key];
      if (!isObject(next)) throw new Error(`JSON patch path ${operation.path} does not exist`);
      parent = next;
    }
    if (operation.op === 'remove') delete parent[last];
    else if (operation.op === 'add' || operation.op === 'replace') parent[last] = operation.value;
    else if (operation.op === 'test' && JSON.stringify(parent[last]) !== JSON.stringify(operation.value)) throw new Error(`JSON patch test failed at ${operation.path}`);
  }
  return result;
}

export function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
