/**
 * `npm run bench [-- name-filter]`: runs every bench/*.bench.ts (or those whose file name contains the filter)
 * and writes bench/results/latest.json with the machine description. Record results in docs/benchmarks.md.
 */
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchResult } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts') && f.includes(filter)).sort();
const results: BenchResult[] = [];
for (const f of files) {
  console.log(`# ${f}`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as BenchModule;
  for (const r of await mod.run()) {
    console.log(`${r.name.padEnd(44)} ${r.metric.padEnd(18)} ${r.value.toFixed(3).padStart(12)} ${r.unit}`);
    results.push(r);
  }
}
const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
mkdirSync(join(here, 'results'), { recursive: true });
const out = join(here, 'results', filter ? `latest-${filter}.json` : 'latest.json');
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2));
console.log(`wrote ${out}`);
