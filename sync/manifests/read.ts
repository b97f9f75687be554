/**
 * Reads manifest files and directories (`-f`) into Kubernetes objects.
 * Directories are read recursively (`*.yaml`, `*.yml`, `*.json`, sorted), so
 * the same directory always compiles to the same table.
 *
 * @example
 * ```ts
 * const { objects, errors } = await readManifests(['examples/']);
 * for (const e of errors) console.error(`${e.source}:${e.line}: ${e.message}`);
 * ```
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { KubeObject } from '../../src/compile/api.ts';
import { parseManifests, type ManifestError } from '../../src/compile/index.ts';

export interface ManifestSet {
  readonly objects: KubeObject[];
  readonly errors: ManifestError[];
  /** Every file read, for watching. */
  readonly files: string[];
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export async function readManifests(paths: readonly string[]): Promise<ManifestSet> {
  const set: ManifestSet = { objects: [], errors: [], files: [] };
  for (const path of paths) {
    for (const file of await expand(path, set.errors)) {
      set.files.push(file);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        set.errors.push({ source: file, line: 0, message: describe(error) });
        continue;
      }
      const parsed = parseManifests(text, file);
      set.objects.push(...parsed.objects);
      set.errors.push(...parsed.errors);
    }
  }
  return set;
}

async function expand(path: string, errors: ManifestError[]): Promise<string[]> {
  try {
    if (!(await stat(path)).isDirectory()) return [path];
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && MANIFEST_EXTENSIONS.has(extname(entry.name)))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
  } catch (error) {
    errors.push({ source: path, line: 0, message: describe(error) });
    return [];
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** `file:line: message`, or `file: message` without a line. */
export function formatManifestError(error: ManifestError): string {
  return error.line > 0 ? `${error.source}:${error.line}: ${error.message}` : `${error.source}: ${error.message}`;
}
