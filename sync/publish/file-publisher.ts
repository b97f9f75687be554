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
import { readFile, rename, writeFile } from 'node:fs/promises';
import { contentHash } from '../../src/table/layout.ts';
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
    await writeFile(temporary, json);
    await rename(temporary, this.#path);
    return { version, changed: true, valuesWritten: 1 };
  }
}
