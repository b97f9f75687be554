/**
 * Where a command's table comes from: manifests compiled here (`-f`) or a
 * compiled table file (`--table`). Problems are returned, not thrown, so each
 * command decides how loud to be.
 *
 * @example
 * ```ts
 * const input = await loadTable({ filename: ['examples/'] }, options);
 * if (input.fatal.length) exit(2);
 * ```
 */
import { readFile } from 'node:fs/promises';
import type { Diagnostic, KubeObject, ProviderOptions } from '../../src/compile/api.ts';
import { compile, formatDiagnostic, formatSelectionSummary, selectIngresses, summarizeSelection, type IngressSelection } from '../../src/compile/index.ts';
import { TableSchema, type Table } from '../../src/table/schema.ts';
import { formatManifestError, readManifests } from '../manifests/read.ts';

export interface TableInput {
  readonly table: Table | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** Unreadable files, invalid YAML, an invalid table file: nothing can be served from them. */
  readonly fatal: readonly string[];
  /** Files to watch for changes. */
  readonly files: readonly string[];
  /** Every Ingress of the manifests and whether it is served (undefined for a table file). */
  readonly selection?: readonly IngressSelection[];
  /** The summary line: Ingresses served, skipped by reason, diagnostics by severity (manifests only). */
  readonly summary?: string;
  /** The manifests read (absent for a table file). */
  readonly objects?: readonly KubeObject[];
}

export interface TableSourceFlags {
  readonly filename?: readonly string[];
  readonly table?: string;
}

export async function loadTable(flags: TableSourceFlags, options: ProviderOptions): Promise<TableInput> {
  if (flags.table !== undefined) return loadTableFile(flags.table);
  const manifests = await readManifests(flags.filename ?? []);
  if (manifests.errors.length > 0) {
    return { table: undefined, diagnostics: [], fatal: manifests.errors.map(formatManifestError), files: manifests.files };
  }
  const result = compile(manifests.objects, options);
  const selection = selectIngresses(manifests.objects, options);
  const summary = formatSelectionSummary(summarizeSelection(selection, result));
  return { table: result.table, diagnostics: result.diagnostics, fatal: [], files: manifests.files, selection, summary, objects: manifests.objects };
}

async function loadTableFile(path: string): Promise<TableInput> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : error instanceof Error ? error.message : String(error);
    return { table: undefined, diagnostics: [], fatal: [`${path}: ${reason}`], files: [path] };
  }
  const result = TableSchema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    return { table: undefined, diagnostics: [], fatal: [`${path}: not a valid edgress table: ${issues.join('; ')}`], files: [path] };
  }
  return { table: result.data, diagnostics: [], fatal: [], files: [path] };
}

/** One line per diagnostic, then the summary line when the table was compiled here. */
export function printDiagnostics(input: Pick<TableInput, 'diagnostics' | 'summary'>, write: (line: string) => void): void {
  for (const diagnostic of input.diagnostics) write(formatDiagnostic(diagnostic));
  if (input.summary !== undefined) write(`summary: ${input.summary}`);
}
