/**
 * The worker's memory during the soak: the resident set of the workerd
 * processes `edgress dev` runs (found among its descendants through /proc),
 * sampled over time. Linux only; elsewhere the samples stay empty.
 */
import { readdir, readFile } from 'node:fs/promises';

/** Resident memory of every workerd process descending from `root`, in MiB; undefined when none is found. */
export async function workerdRssMb(root: number): Promise<number | undefined> {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …; comm may hold spaces and parentheses.
    const match = /^(\d+) \((.*)\) \S+ (\d+)/s.exec(stat);
    if (!match) continue;
    parents.set(Number(match[1]), Number(match[3]));
    names.set(Number(match[1]), match[2] ?? '');
  }
  const descends = (pid: number): boolean => {
    for (let at = parents.get(pid), hops = 0; at !== undefined && hops < 16; at = parents.get(at), hops++) if (at === root) return true;
    return false;
  };
  let totalKb = 0;
  let found = false;
  for (const [pid, name] of names) {
    if (!name.includes('workerd') || !descends(pid)) continue;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    if (rss) {
      totalKb += Number(rss[1]);
      found = true;
    }
  }
  return found ? totalKb / 1024 : undefined;
}
