import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint, pollInputs } from './input-poll.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dir(): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), 'edgress-poll-'));
  dirs.push(path);
  return path;
}

describe('input polling', () => {
  it('fingerprints files by path, size and time, recursively', async () => {
    const root = await dir();
    await writeFile(join(root, 'a.yaml'), 'a');
    const before = await fingerprint([root]);
    expect(await fingerprint([root])).toBe(before);
    await writeFile(join(root, 'a.yaml.tmp'), 'ab');
    await rename(join(root, 'a.yaml.tmp'), join(root, 'a.yaml'));
    expect(await fingerprint([root])).not.toBe(before);
  });

  it('reports a change replaced by rename, which a lost watch event would miss', async () => {
    const root = await dir();
    await writeFile(join(root, 'a.yaml'), 'a');
    let changes = 0;
    const poll = pollInputs([root], 20, () => void (changes += 1));
    await new Promise((resolve) => setTimeout(resolve, 60));
    await writeFile(join(root, 'b.tmp'), 'changed');
    await rename(join(root, 'b.tmp'), join(root, 'a.yaml'));
    await expect.poll(() => changes).toBeGreaterThan(0);
    poll.stop();
  });
});
