/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by file, and inclusive time of the
 * functions whose name matches a pattern, so "where does the time go" is a table, not a flame graph.
 *
 * Usage: npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--top 30] [--inclusive name1,name2,...] [--last-s 20]
 *
 * --last-s N counts only the samples of the profile's last N seconds: for a server profile, the loaded phase of a
 * benchmark without the start-up (loading the model, building indexes), which otherwise outweighs the requests.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A file path shortened to what identifies it: the package under node_modules, or the path under src/dist. */
function shortFile(url: string): string {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length).split('/').slice(0, 2).join('/');
  const m = /\/(src|dist)\/(.*)$/.exec(url);
  return m ? m[2] : url.replace(/^file:\/\//, '');
}

function table(rows: Array<[string, number]>, total: number, top: number): string {
  return rows.sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`).join('\n');
}

function main(): void {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [--top N] [--inclusive a,b]');
  const top = Number(rest[rest.indexOf('--top') + 1] ?? 30) || 30;
  const inclusiveNames = rest.includes('--inclusive') ? rest[rest.indexOf('--inclusive') + 1].split(',') : [];
  const lastUs = rest.includes('--last-s') ? Number(rest[rest.indexOf('--last-s') + 1]) * 1e6 : Infinity;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  // sample i was taken at the sum of timeDeltas[0..i]: keep those within lastUs of the last one
  const at = new Float64Array(profile.samples.length);
  profile.timeDeltas.forEach((d, i) => (at[i] = (i > 0 ? at[i - 1] : 0) + d));
  const from = (at[at.length - 1] ?? 0) - lastUs;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => { if (at[i] >= from) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)); });
  let total = 0;
  let idle = 0;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const inclusive = new Map<string, number>(inclusiveNames.map((n) => [n, 0]));
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') { idle += functionName === '(idle)' ? us : 0; }
    total += us;
    const fn = `${functionName || '(anonymous)'} ${shortFile(url)}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byFile.set(shortFile(url), (byFile.get(shortFile(url)) ?? 0) + us);
    // Inclusive: count the sample once for each named function on its stack.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)?.callFrame.functionName ?? '';
      if (inclusive.has(name) && !seen.has(name)) { seen.add(name); inclusive.set(name, (inclusive.get(name) ?? 0) + us); }
    }
  }
  const busy = total - idle;
  console.log(`total ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms, busy ${(busy / 1000).toFixed(0)} ms (percentages of busy)`);
  byFunction.delete('(idle) (native):0');
  byFile.delete('(native)');
  console.log(`\n## self time by file\n${table([...byFile], busy, top)}`);
  console.log(`\n## self time by function\n${table([...byFunction], busy, top)}`);
  if (inclusive.size > 0) console.log(`\n## inclusive time\n${table([...inclusive], busy, top)}`);
}

main();
