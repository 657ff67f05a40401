import type { Command } from 'commander';
import { EngineError } from '../../core/errors.js';
import type { InterestChange, ProfileChange } from '../../interests/profile-preferences.js';
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
    const setting = i.muted ? '  [muted]' : i.boost !== 1 ? `  [boost ${i.boost}]` : '';
    lines.push(`  ${i.id}. ${i.label}  ${percent(i.weight)} (recently ${percent(i.recentWeight)}), ${i.size} items, e.g. ${examples}${setting}`);
  }
  lines.push(`Drift (short vs long term): ${p.drift === null ? 'n/a' : p.drift.toFixed(2)}`);
  lines.push(`Long term: ${p.longTerm.events} events, half-life ${p.longTerm.halfLifeDays} days; short term: last ${p.shortTerm.events} events, half-life ${p.shortTerm.halfLifeDays} days`);
  const next = p.shortTerm.next;
  if (next) lines.push(`Next (${next.model}, from the latest events): ${next.label}, e.g. ${next.items.slice(0, 3).map((it) => it.title ?? it.itemId).join(', ')}`);
  return lines.join('\n');
}

interface ProfileOptions {
  json?: boolean;
  mute: string[];
  unmute: string[];
  boost: string[];
  reset?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * The change the options ask for, or undefined when they only read. `--boost 2=1.5` sets interest 2's boost.
 *
 * @example profileChangeOf({ mute: ['2'], unmute: [], boost: ['1=1.5'] }) // { interests: [{ id: '2', mute: true }, { id: '1', boost: 1.5 }] }
 */
export function profileChangeOf(opts: Pick<ProfileOptions, 'mute' | 'unmute' | 'boost' | 'reset'>): ProfileChange | undefined {
  const interests: InterestChange[] = [
    ...opts.mute.map((id) => ({ id, mute: true })),
    ...opts.unmute.map((id) => ({ id, mute: false })),
    ...opts.boost.map((spec) => {
      const [id, value] = spec.split('=');
      const boost = Number(value);
      if (!id || value === undefined || value.trim() === '' || !Number.isFinite(boost)) {
        throw new EngineError('INVALID_INPUT', '--boost takes <interest id>=<number>, e.g. --boost 2=1.5', { field: 'boost' });
      }
      return { id, boost };
    }),
  ];
  if (interests.length === 0 && !opts.reset) return undefined;
  return { interests, ...(opts.reset ? { reset: true } : {}) };
}

export function profileCommand(program: Command): void {
  program
    .command('profile <user>')
    .description("A user's interest profile: interests with stable ids, labels and weights, long/short-term drift; --mute/--boost/--reset change it")
    .option('--json', 'print JSON')
    .option('--mute <id>', 'leave the items of this interest out of the user\'s lists (repeatable)', collect, [])
    .option('--unmute <id>', 'show the items of this interest again (repeatable)', collect, [])
    .option('--boost <id=factor>', 'move this interest\'s items up (factor > 1) or down (< 1) the lists, e.g. 2=1.5 (repeatable)', collect, [])
    .option('--reset', 'clear every mute and boost (before the other options)')
    .action(async (user: string, opts: ProfileOptions, cmd: Command) => {
      const change = profileChangeOf(opts);
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const profile = change ? await engine.updateProfile(user, change) : await engine.profile(user);
        output(!!opts.json, profile, () => renderProfile(profile));
      });
    });
}
