/**
 * `edgress sync --once --dry-run`: a publisher that writes nothing and
 * prints what the real one would write (the table's version, how many
 * values, the pointer), so the edge plan that follows sees the table as if it
 * were in force.
 *
 * @example
 * ```ts
 * const publisher = new DryRunPublisher(async (table) => ({ version: 'v1', changed: true, lines: ['kv write …'] }), print);
 * ```
 */
import type { Table } from '../../src/table/schema.ts';
import type { PublishOutcome, Publisher } from './publisher.ts';

export interface PublishPreview {
  readonly version: string;
  readonly changed: boolean;
  readonly lines: readonly string[];
}

export class DryRunPublisher implements Publisher {
  readonly #preview: (table: Table) => Promise<PublishPreview>;
  readonly #print: (line: string) => void;

  constructor(preview: (table: Table) => Promise<PublishPreview>, print: (line: string) => void) {
    this.#preview = preview;
    this.#print = print;
  }

  async publish(table: Table): Promise<PublishOutcome> {
    const preview = await this.#preview(table);
    for (const line of preview.lines) this.#print(`dry-run: ${line}`);
    return { version: preview.version, changed: preview.changed, valuesWritten: 0 };
  }
}
