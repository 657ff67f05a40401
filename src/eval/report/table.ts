import type { EvalResult } from '../result.js';

/** Console columns: these metrics at every K... */
const EVERY_K = ['ndcg', 'recall'];
/** ...and these at the main K only, so the table stays narrow. */
const MAIN_K_ONLY = ['precision', 'map', 'mrr', 'hit', 'coverage', 'ild', 'novelty'];

/** Formats a metric value: 4 decimals below 10, 1 above (novelty, popularity). */
export function formatMetric(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '-';
  return Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(4);
}

/**
 * A plain-text table of the test metrics, one row per model: NDCG and recall at every K, the rest at the main K.
 *
 * @example process.stdout.write(resultTable(result))
 */
export function resultTable(result: EvalResult): string {
  const first = result.results[0]?.metrics ?? {};
  const wanted = [...EVERY_K.flatMap((m) => result.ks.map((k) => `${m}@${k}`)), ...MAIN_K_ONLY.map((m) => `${m}@${result.mainK}`)];
  const columns = wanted.filter((c) => c in first);
  const header = ['model', ...columns, 'fit s'];
  const rows = result.results.map((r) => [r.model, ...columns.map((c) => formatMetric(r.metrics[c])), r.fitSeconds.toFixed(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const sampled = result.ranking.mode === 'sampled' ? ` — SAMPLED ranking (${result.ranking.negatives} negatives per positive), not comparable with full ranking` : ' — full ranking';
  const refit = result.split.refit ? ' — REFIT on train + valid' : result.split.testHistory === 'train+valid' ? ' — test reads train + valid' : '';
  const title = `${result.dataset} · ${result.protocol} · ${result.split.users} users × ${result.split.items} items · test metrics${sampled}${refit}`;
  return [title, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
