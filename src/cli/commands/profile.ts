import type { Command } from 'commander';
import type { InterestProfile } from '../../interests/profile-types.js';
import { output, withEngine, type GlobalOptions } from '../context.js';

const percent = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * The profile as a person reads it: one line per interest, then drift and the two terms' windows.
 *
 * @example renderProfile(await engine.profile('13'))
 */
export function renderProfile(p: InterestProfile): string {
  const lines = [`Interests of user ${p.userId} (model ${p.model.name} v${p.model.version}, clustered in ${p.space.kind} space)`];
  if (p.interests.length === 0) lines.push('  (no interests: no positive events on items the model knows)');
  for (const i of p.interests) {
    const examples = i.items.slice(0, 3).map((it) => it.title ?? it.itemId).join(', ');
    lines.push(`  ${i.id}. ${i.label}  ${percent(i.weight)} (recently ${percent(i.recentWeight)}), ${i.size} items, e.g. ${examples}`);
  }
  lines.push(`Drift (short vs long term): ${p.drift === null ? 'n/a' : p.drift.toFixed(2)}`);
  lines.push(`Long term: ${p.longTerm.events} events, half-life ${p.longTerm.halfLifeDays} days; short term: last ${p.shortTerm.events} events, half-life ${p.shortTerm.halfLifeDays} days`);
  return lines.join('\n');
}

export function profileCommand(program: Command): void {
  program
    .command('profile <user>')
    .description("A user's interest profile: interests with labels and weights, long/short-term drift")
    .option('--json', 'print JSON')
    .action(async (user: string, opts: { json?: boolean }, cmd: Command) => {
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const profile = await engine.profile(user);
        output(!!opts.json, profile, () => renderProfile(profile));
      });
    });
}
