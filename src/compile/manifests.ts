/**
 * Multi-document YAML (or JSON) manifests → Kubernetes objects. Documents
 * are parsed one by one, under the limits of `./limits.ts` (size, aliases,
 * nesting), so a syntax error or a YAML bomb costs only its own document;
 * `kind: List` items are flattened and empty documents skipped. Errors carry
 * the 1-based line.
 *
 * @example
 * ```ts
 * const { objects, errors } = parseManifests(text, 'deploy/ingress.yaml');
 * for (const e of errors) console.error(`${e.source}:${e.line}: ${e.message}`);
 * ```
 */
import type { KubeObject } from './api.ts';
import { COMPILE_LIMITS } from './limits.ts';
import { asArray, asRecord } from './read/fields.ts';
import { loadYamlDocuments } from './yaml.ts';

const DOCUMENT_LIMITS = { maxChars: COMPILE_LIMITS.manifestDocumentChars, maxExpandedNodes: COMPILE_LIMITS.manifestExpandedNodes } as const;

/** A manifest that could not be read: the file, where, and why. */
export interface ManifestError {
  readonly source: string;
  /** 1-based line; 0 when the whole file is at fault (the CLI's reader: unreadable file or directory). */
  readonly line: number;
  readonly message: string;
}

export interface ParsedManifests {
  readonly objects: KubeObject[];
  readonly errors: ManifestError[];
}

/** Parses every document of `text`; `source` names the file in errors. */
export function parseManifests(text: string, source: string): ParsedManifests {
  const objects: KubeObject[] = [];
  const errors: ManifestError[] = [];
  for (const chunk of splitDocuments(text)) {
    const loaded = loadYamlDocuments(chunk.text, DOCUMENT_LIMITS);
    if (!loaded.ok) {
      const line = loaded.cause === undefined ? firstContentLine(chunk) : chunk.line + errorLine(loaded.cause);
      errors.push({ source, line, message: loaded.cause === undefined ? `document ${loaded.error}` : errorReason(loaded.cause) });
      continue;
    }
    for (const document of loaded.documents) collect(document, { source, line: firstContentLine(chunk) }, objects, errors);
  }
  return { objects, errors };
}

function collect(document: unknown, at: { source: string; line: number }, objects: KubeObject[], errors: ManifestError[]): void {
  if (document === null || document === undefined) return;
  const object = asRecord(document);
  if (!object || typeof object['kind'] !== 'string') {
    errors.push({ ...at, message: 'document is not a Kubernetes object (a mapping with a kind)' });
    return;
  }
  if (object['kind'] !== 'List') {
    objects.push(object);
    return;
  }
  asArray(object['items'])?.forEach((item) => {
    if (asRecord(item) && typeof asRecord(item)?.['kind'] === 'string') objects.push(item as KubeObject);
    else errors.push({ ...at, message: 'a List item is not a Kubernetes object (a mapping with a kind)' });
  });
}

/** Chunks that each start at a `---` marker line (or the top), with their 0-based first line. */
function splitDocuments(text: string): { text: string; line: number }[] {
  const lines = text.split('\n');
  const chunks: { text: string; line: number }[] = [];
  let start = 0;
  lines.forEach((line, index) => {
    if (index > start && /^---(\s|$)/.test(line)) {
      chunks.push({ text: lines.slice(start, index).join('\n'), line: start });
      start = index;
    }
  });
  chunks.push({ text: lines.slice(start).join('\n'), line: start });
  return chunks;
}

/** The 1-based line where a chunk's content starts, after its marker, blank lines and comments. */
function firstContentLine(chunk: { text: string; line: number }): number {
  const offset = chunk.text.split('\n').findIndex((line) => !/^(---\s*|\s*(#.*)?)$/.test(line));
  return chunk.line + Math.max(offset, 0) + 1;
}

function errorLine(error: unknown): number {
  const mark = asRecord(asRecord(error)?.['mark']);
  return typeof mark?.['line'] === 'number' ? mark['line'] + 1 : 1;
}

function errorReason(error: unknown): string {
  const reason = asRecord(error)?.['reason'];
  if (typeof reason === 'string') return reason;
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'invalid YAML') : 'invalid YAML';
}
