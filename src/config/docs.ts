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
  ].join('\n');
}
