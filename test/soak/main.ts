/**
 * `npm run soak [-- --duration 300 --requests 400000 --concurrency 16 --change-every 5 --seed 1 --source cluster|files]`:
 * runs the soak (`./soak.ts`) on loopback and prints its report. Exits 1
 * when a reply was unexpected or the worker's heap grew (more than 25 % and
 * 8 MiB from the first sample under load to the last).
 */
import { parseArgs } from 'node:util';
import { runSoak, type SoakReport } from './soak.ts';
import type { SourceKind } from './source.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '300' },
    requests: { type: 'string', default: '400000' },
    concurrency: { type: 'string', default: '16' },
    'change-every': { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    source: { type: 'string', default: 'cluster' },
  },
});
const isSource = (value: string): value is SourceKind => value === 'cluster' || value === 'files';
if (!isSource(values.source)) throw new Error('--source must be cluster or files');
const source: SourceKind = values.source;

const number = (name: 'duration' | 'requests' | 'concurrency' | 'change-every' | 'seed'): number => {
  const parsed = Number(values[name]);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number`);
  return parsed;
};

const options = {
  durationMs: number('duration') * 1000,
  maxRequests: number('requests'),
  concurrency: number('concurrency'),
  changeEveryMs: number('change-every') * 1000,
  seed: number('seed'),
  source,
  log: (line: string) => console.log(`soak: ${line}`),
};
const from = source === 'cluster' ? 'the sync agent in edgress dev --kubeconfig, watching the test API server' : 'edgress dev -f --watch';
console.log(`soak: ${options.durationMs / 1000} s or ${options.maxRequests} requests, ${options.concurrency} clients, a generation of Ingress and endpoint changes every ${options.changeEveryMs / 1000} s through ${from} (loopback only)`);
const report = await runSoak(options);
print(report);
process.exit(report.unexpected === 0 && memoryFlat(report) ? 0 : 1);

/** The worker's heap is flat when the last sample is within 25 % (and at least 8 MiB) of the first under load. */
function memoryFlat(report: SoakReport): boolean {
  const { start, end } = report.heapMb;
  return start === undefined || end === undefined || end - start <= Math.max(8, start * 0.25);
}

function print(report: SoakReport): void {
  const mb = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(1)} MiB`);
  console.log(`soak: ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s (${Math.round(report.requests / (report.durationMs / 1000))}/s)`);
  console.log(`soak: ${report.generations - 1} generations applied in ${report.writes} ${report.source === 'cluster' ? 'API writes' : 'file writes'}; edgress dev reloaded ${report.reloads} tables`);
  console.log(`soak: by kind ${JSON.stringify(report.byKind)}`);
  console.log(`soak: unexpected replies ${report.unexpected}${report.examples.length ? `:\n  ${report.examples.join('\n  ')}` : ''}`);
  console.log(`soak: latency p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms; a generation was served ${report.reloadMs.p50} ms (median), ${report.reloadMs.max} ms (slowest) after its first write`);
  console.log(`soak: worker heap after GC: start ${mb(report.heapMb.start)}, end ${mb(report.heapMb.end)}${memoryFlat(report) ? ' (flat)' : ' (GREW)'}; samples ${report.heapMb.samples.join(' ')}${report.heapSamplesMissed ? ` (${report.heapSamplesMissed} missed)` : ''}`);
  console.log(`soak: workerd RSS: start ${mb(report.workerdRssMb.start)}, end ${mb(report.workerdRssMb.end)}; samples ${report.workerdRssMb.samples.join(' ')}`);
  console.log(`soak: ${JSON.stringify({ ...report, heapMb: undefined, workerdRssMb: undefined })}`);
}
