/**
 * Whether `edgress dev --watch`'s inputs changed. File-system events get
 * lost (Node's recursive watcher on Linux stops reporting after a file is
 * replaced by rename while the process is busy, as editors and atomic
 * writers do), so the inputs' fingerprint (every file's path, size and
 * modification time) is also checked every `intervalMs`. Watcher events and
 * the poll both only ask for a check against the one fingerprint last
 * reported, so a change is reported once however many of them notice it.
 *
 * @example
 * ```ts
 * const changes = detectChanges(['manifests/'], () => reload());
 * changes.poll(1_000);
 * watcher.on('change', () => changes.check());
 * ```
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface ChangeDetector {
  /** Compares the inputs with the last fingerprint; reports a difference once. */
  check(): Promise<void>;
  /** Also checks every `intervalMs`. */
  poll(intervalMs: number): void;
  stop(): void;
}

export function detectChanges(inputs: readonly string[], onChange: () => void): ChangeDetector {
  let last: Promise<string> = fingerprint(inputs);
  let timer: NodeJS.Timeout | undefined;
  // Checks run one after another, so two that overlap cannot both see the old fingerprint.
  const check = (): Promise<void> => {
    last = last.then(async (before) => {
      const now = await fingerprint(inputs);
      if (now !== before) onChange();
      return now;
    });
    return last.then(() => undefined);
  };
  return {
    check,
    poll(intervalMs) {
      clearInterval(timer);
      timer = setInterval(() => void check(), intervalMs);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}

/** Checks the inputs every `intervalMs` and reports each change. */
export function pollInputs(inputs: readonly string[], intervalMs: number, onChange: () => void): { stop(): void } {
  const changes = detectChanges(inputs, onChange);
  changes.poll(intervalMs);
  return changes;
}

/** Path, size and mtime of every file under the inputs, in a stable order. */
export async function fingerprint(inputs: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const input of inputs) await collect(input, parts, 0);
  return parts.sort().join('\n');
}

async function collect(path: string, parts: string[], depth: number): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return void parts.push(`${path}:missing`);
  if (!info.isDirectory()) return void parts.push(`${path}:${info.size}:${info.mtimeMs}`);
  if (depth > 16) return;
  for (const entry of await readdir(path).catch(() => [] as string[])) await collect(join(path, entry), parts, depth + 1);
}
