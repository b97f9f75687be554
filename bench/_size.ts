import { compile } from '../src/compile/index.ts';
import { buildPublication } from '../src/table/publication.ts';
import { generateCluster } from './generate.ts';
for (const n of [1000, 10000]) {
  const t0 = performance.now();
  const { table, diagnostics } = compile(generateCluster(n).objects, {});
  const t1 = performance.now();
  const pub = await buildPublication(table);
  const t2 = performance.now();
  let total = 0, max = 0;
  for (const v of pub.values.values()) { total += v.length; max = Math.max(max, v.length); }
  console.log({ n, compileMs: t1 - t0, publishMs: t2 - t1, buckets: pub.bucketCount, bytesPerIngress: total / n, max, diags: diagnostics.length, codes: [...new Set(diagnostics.map(d => d.code))] });
}
