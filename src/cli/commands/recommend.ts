import type { Command } from 'commander';
import { EngineError } from '../../core/errors.js';
import type { Recommendation } from '../../core/types.js';
import type { RecommendResult } from '../../engine-types.js';
import { output, parseCount, withEngine, type GlobalOptions } from '../context.js';

/** Renders a ranked list with its first reason, for humans. */
export function renderList(items: Recommendation[]): string {
  return items
    .map((r, i) => `${String(i + 1).padStart(3)}. ${r.itemId.padEnd(10)} ${(r.title ?? '').slice(0, 50).padEnd(50)} ${r.score.toFixed(4)}  ${r.reasons[0]?.text ?? ''}`)
    .join('\n');
}

/**
 * The human rendering of a recommendation answer: a headline saying what the list is based on, the query notice when
 * there is one, the list, and which model version answered.
 *
 * @example renderRecommendations(result, '196', undefined) // 'For user 196, from their history\n  1. …'
 */
export function renderRecommendations(result: RecommendResult, user: string | undefined, query: string | undefined): string {
  const search = query?.trim() ? ` matching "${query.trim()}"` : '';
  let headline: string;
  if (user === undefined) headline = `Items${search}`;
  else if (result.personalised) headline = `For user ${user}${search}, from their history`;
  else headline = `For user ${user}${search}: nothing is known of their tastes yet (unknown user, no history or no consent)`;
  const lines = [headline];
  if (result.notice) lines.push(result.notice);
  if (result.items.length > 0) lines.push(renderList(result.items));
  if (result.model) lines.push(`(model ${result.model.name}, version ${result.model.version})`);
  return lines.join('\n');
}

export function recommendCommand(program: Command): void {
  program
    .command('recommend [user]')
    .description('Recommend items for a user (unknown users get popular items), or for a free-text --query')
    .option('-n, --count <n>', 'list length')
    .option('-q, --query <text>', 'free-text query ("slow, funny movies about friendship"), blended with the user\'s interests when a user is given')
    .option('--exclude <ids>', 'comma-separated item ids never to return')
    .option('--include-consumed', 'allow items the user already interacted with')
    .option('--filter <expr>', 'keep only items matching this expression, e.g. \'price < 50 and in_stock = true\' (docs/filters.md)')
    .option('--scenario <name>', 'a stored scenario (kindred scenarios): its filter, list length and recall quotas apply; -n and --filter still apply')
    .option('--json', 'print JSON')
    .action(async (user: string | undefined, opts: { count?: string; query?: string; exclude?: string; includeConsumed?: boolean; filter?: string; scenario?: string; json?: boolean }, cmd: Command) => {
      if (user === undefined && !opts.query) throw new EngineError('INVALID_INPUT', 'give a user id, a --query, or both');
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const result = await engine.recommend(user, {
          // Left undefined without -n so that a scenario's list length applies (else config recommend.count).
          count: opts.count === undefined ? undefined : parseCount(opts.count, engine.config.recommend.count),
          exclude: opts.exclude?.split(',').filter(Boolean),
          includeConsumed: opts.includeConsumed,
          query: opts.query,
          filter: opts.filter,
          scenario: opts.scenario,
        });
        output(!!opts.json, result, () => renderRecommendations(result, user, opts.query));
      });
    });
}
