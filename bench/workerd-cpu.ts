/** CPU time of the workerd processes this process started, from /proc (Linux). */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';

/** Nanoseconds on CPU of every workerd process started by this one. */
export async function workerdCpuNs(): Promise<number> {
  let total = 0;
  for (const cpu of (await workerdCpuByPid()).values()) total += cpu;
  return total;
}

/** Nanoseconds on CPU of each workerd process started by this one, by pid. */
export async function workerdCpuByPid(): Promise<Map<number, number>> {
  const byPid = new Map<number, number>();
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(workerd)') || Number(stat.split(') ')[1]!.split(' ')[1]) !== process.pid) continue;
      byPid.set(Number(pid), Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // The process ended between listing and reading.
    }
  }
  return byPid;
}
