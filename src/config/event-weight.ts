import type { EventTypeConfig } from './schema.js';

/**
 * The training weight of one event under the configured event types: > 0 for positive interest, 0 for events that
 * carry none (impressions), and 'negative' for explicit negative feedback. Unknown types weigh 1.
 *
 * @example eventWeight('rating', 4, DEFAULT_EVENT_TYPES) // 4 (= 5 * 4 / 5)
 */
export function eventWeight(type: string, value: number | undefined, types: Record<string, EventTypeConfig>): number | 'negative' {
  const t = (Object.hasOwn(types, type) ? types[type] : undefined) ?? { weight: 1 };
  if (t.negative) return 'negative';
  if (t.scaleByValue && value !== undefined) return (t.weight * value) / 5;
  return t.weight;
}
