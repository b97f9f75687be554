/**
 * A safety net under `edgress dev --watch`: file-system events get lost
 * (Node's recursive watcher on Linux stops reporting after a file is
 * replaced by rename while the process is busy, as editors and atomic
 * writers do), so the inputs' fingerprint (every file's path, size and
 * modification time) is also checked every `intervalMs`, and a change is
 * reported like an event.
 *
 * @example
 * ```ts
 * const poll = pollInputs(['manifests/'], 1_000, () => reload());
 * poll.stop();
 * ```
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export function pollInputs(inputs: readonly string[], intervalMs: number, onChange: () => void): { stop(): void } {
  let last: Promise<string> = fingerprint(inputs);
  const timer = setInterval(() => {
    const previous = last;
    last = fingerprint(inputs);
    void Promise.all([previous, last]).then(([before, now]) => before !== now && onChange());
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
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
