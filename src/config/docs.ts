import { RECALL_CHANNEL_BUDGETS } from './pipeline-section.js';
import { CONFIG_FIELDS, type ConfigField } from './schema.js';

/**
 * docs/configuration.md, generated from the schema (a test keeps the file in step with the code).
 *
 * @example writeFileSync('docs/configuration.md', configMarkdown())
 */
export function configMarkdown(): string {
  const rows = (CONFIG_FIELDS as readonly ConfigField[]).map((f) => {
    const def = f.type === 'json' ? 'see below' : `\`${JSON.stringify(f.default)}\``;
    const allowed = f.oneOf ? ` One of: ${f.oneOf.join(', ')}.` : '';
    return `| \`${f.key}\` | \`${f.env ?? ''}\` | ${f.type} | ${def} | ${f.doc}.${allowed} |`;
  });
  const events = CONFIG_FIELDS.find((f) => f.key === 'events.types')?.default;
  const recall = CONFIG_FIELDS.find((f) => f.key === 'pipeline.recall')?.default;
  return [
    '# Configuration',
    '',
    'Kindred reads, in order (later wins): defaults, the config file (`--config FILE`, or `./kindred.config.json` when',
    'present; `kindred init` writes one with every key), environment variables, then command-line flags. Unknown keys',
    'are rejected. This page is generated from `src/config/schema.ts`.',
    '',
    '| key | environment | type | default | meaning |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    '## Default event types',
    '',
    'Each type has a training weight; `negative` types (dislike, not interested) never count as interest and remove the',
    'item from the user\'s lists; `scaleByValue` multiplies the weight by value / 5 (ratings). Impressions weigh 0: they',
    'record what was shown, for fatigue.',
    '',
    '```json',
    JSON.stringify(events, null, 2),
    '```',
    '',
    '## Default recall channels',
    '',
    'The `pipeline` keys name the stages of a recommend request (see docs/architecture.md): which recall channels run,',
    'how channels are fused, and which re-rank stages follow. A channel left out of `pipeline.recall` does not run;',
    'an unknown channel or stage name is rejected. `cf` is the main model over the live history; `semantic` reads a',
    'history of items the collaborative models do not know yet by content; `cold-items` finds items added since training',
    'that suit the user; `popular` serves users without history and fills short lists; `query` answers a text query;',
    '`ensemble` runs the extra collaborative models of `train.channels` (see docs/fusion.md for how fusion weighs them).',
    '`item-to-item` recalls the neighbours of the user\'s last `lastEvents` items (the latest weighing most); `next-item`',
    'asks the sequential model what usually follows them (trained beside the main model when the channel is on; a',
    '`sequential` or `transformer` main model serves it itself);',
    '`category` recalls popular items in the user\'s strongest categories and tags (history time-decayed by',
    '`halfLifeDays`); `trending` recalls the items rising most in the last `windowDays` against the `baselineDays` before',
    '(both windows end at the newest event, set at training); `fresh` recalls items published (`createdAt`) within',
    '`windowDays` of now that are close in content to the user\'s history (it needs an embedding provider). `fresh` is',
    'about publishing and `cold-items` about training: an item imported after the last training is cold whatever its',
    '`createdAt`, and a recently published item is fresh whether or not it was trained.',
    '`interests` recalls, for each of the user\'s unmuted stored interests (docs/interests.md), the items nearest its',
    'centre in the profile\'s item space (text embeddings or collaborative factors), the channel\'s budget split across',
    'interests by weight × boost; its reason names the interest. It needs a stored profile (built on the user\'s events',
    'or the first GET of their profile); a profile in collaborative factors made with an older model version is not',
    'searched until it is placed again (the next event or profile read does it; a user with mutes or boosts at once).',
    'Each channel recalls `quota × list length + pad` candidates and keeps those scoring at least `minScore` (optional,',
    'on the channel\'s own scale); one that fails or still waits at `deadlineMs` is left out of the request and traced',
    'as degraded. A setting a channel does not read is rejected.',
    '',
    'On by default: the five original channels plus `ensemble`. `item-to-item` and `next-item` find 7–13 % of users\' next',
    'items that `cf` and `popular` both miss (docs/benchmarks.md), but with `learned` fusion (the default) turning them on',
    'lowered NDCG@10 on ml-100k by 0.0017 (docs/fusion.md), so they are off; their reasons name the history item, so a',
    'shop that wants "because you viewed X" turns them on. `interests` is off too (not yet measured with learned',
    'fusion). With `main-first` fusion extra channels do not change the list.',
    '',
    '```json',
    JSON.stringify(recall, null, 2),
    '```',
    '',
    'Every channel\'s budget when it is turned on without one (a scenario naming it, for instance):',
    '',
    '```json',
    JSON.stringify(RECALL_CHANNEL_BUDGETS, null, 2),
    '```',
    '',
  ].join('\n');
}
