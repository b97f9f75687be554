/**
 * Shape checks for untyped Kubernetes JSON. Readers never trust a field's
 * type: each helper returns `undefined` for a wrong type so the caller can
 * report it and carry on.
 *
 * @example
 * ```ts
 * const spec = asRecord(object['spec']);          // undefined unless a plain object
 * const name = asString(asRecord(object['metadata'])?.['name']);
 * ```
 */

/** A JSON object, read-only. */
export type JsonRecord = Readonly<Record<string, unknown>>;

/** The value if it is a plain object (not an array, not null). */
export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

/** The value if it is a string. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value if it is an array. */
export function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The value if it is an integer within [min, max]. */
export function asInt(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

/** Reports a malformed field of the object being read: `(field, message)`. */
export type Complain = (field: string, message: string) => void;

/**
 * An optional array field: `[]` when absent or null, `undefined` (after a
 * complaint) when present with another type.
 *
 * @example
 * ```ts
 * for (const rule of optionalArray(spec['rules'], 'spec.rules', complain) ?? []) read(rule);
 * ```
 */
export function optionalArray(value: unknown, field: string, complain: Complain): readonly unknown[] | undefined {
  if (value === undefined || value === null) return [];
  const array = asArray(value);
  if (!array) complain(field, 'must be a list');
  return array;
}

/** The map of an object without labels (or annotations): one frozen object for all. */
const EMPTY_MAP: Readonly<Record<string, string>> = Object.freeze({});

/**
 * A string-to-string map such as labels or annotations. Scalar values are
 * kept as their text (the API server would reject them, a YAML file may still
 * hold `priority: 5`); null becomes `''`, as Go's JSON decoding leaves it.
 */
export function stringMap(value: unknown, field: string, complain: Complain): Readonly<Record<string, string>> {
  if (value === undefined || value === null) return EMPTY_MAP;
  const record = asRecord(value);
  if (!record) {
    complain(field, 'must be a map of strings');
    return EMPTY_MAP;
  }
  // Most objects have no labels or annotations, or only strings: no copy then (tens of thousands of objects).
  let plain = true;
  for (const key in record) if (!Object.hasOwn(record, key) || typeof record[key] !== 'string') plain = false;
  if (plain && Object.getPrototypeOf(record) === Object.prototype) return Object.keys(record).length === 0 ? EMPTY_MAP : (record as Record<string, string>);
  const map: Record<string, string> = {};
  for (const [key, entry] of Object.entries(record)) {
    if (typeof entry === 'string') map[key] = entry;
    else {
      complain(`${field}[${key}]`, 'value must be a string');
      map[key] = entry === null || entry === undefined ? '' : String(entry);
    }
  }
  return map;
}
