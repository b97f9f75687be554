/**
 * Writes the table as one JSON document (`edgress sync --out`,
 * `edgress compile -o`), atomically: a temporary file in the same directory
 * renamed over the target, so a reader sees the old file or the new one.
 *
 * @example
 * ```ts
 * await new FilePublisher('table.json').publish(table);
 * ```
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { contentHash } from '../../src/storage/layout.ts';
import type { Table } from '../../src/table/schema.ts';
import type { PublishOutcome, Publisher } from './publisher.ts';

export class FilePublisher implements Publisher {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  async publish(table: Table): Promise<PublishOutcome> {
    const json = JSON.stringify(table, null, 2) + '\n';
    const version = await contentHash(json);
    const existing = await readFile(this.#path, 'utf8').catch(() => undefined);
    if (existing === json) return { version, changed: false, valuesWritten: 0 };
    const temporary = `${this.#path}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, json);
      await rename(temporary, this.#path);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => {});
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String(error);
      throw new Error(`cannot write ${this.#path}: ${reason}`, { cause: error });
    }
    return { version, changed: true, valuesWritten: 1 };
  }
}
