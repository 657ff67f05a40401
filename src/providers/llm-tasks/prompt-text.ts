/** Text shaping for prompts: one line, bounded length, so a long item text cannot crowd out the rest. */

/**
 * Collapses whitespace and cuts to `max` characters with an ellipsis.
 *
 * @example clipText('a  long\ntext', 6) // 'a long…' (cut at 6 characters)
 */
export function clipText(text: string | undefined, max: number): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  return `${Array.from(flat).slice(0, max).join('').trimEnd()}…`;
}
