import type { KindredConfig } from '../config/config.js';
import type { Item, ItemId } from '../core/types.js';
import type { ItemLabel } from '../pipeline/item-facts.js';

/** The negative-feedback settings (config care.*) the demotion reads. */
export interface NegativeSettings {
  /** Turned-down items of one category or tag from which its candidates are demoted (care.negativeRepeat; 0 = never). */
  repeat: number;
  /** Share of relevance a demoted category's candidate loses at `repeat` negatives, and again per further one (care.negativeFade). */
  fade: number;
  /** Share of relevance a candidate of similarity 1 to a show-less item of strength 1 loses (care.showLessFade). */
  showLessFade: number;
}

/** A category or tag with how many of the user's turned-down items carry it and what its candidates keep of their relevance. */
export interface DemotedLabel {
  label: ItemLabel;
  /** Distinct turned-down items with this label. */
  negatives: number;
  /** Multiplier on the relevance of its candidates, in (0, 1). */
  factor: number;
}

/**
 * The negative-feedback settings of config care.
 *
 * @example negativeSettings(config) // { repeat: 2, fade: 0.5, showLessFade: 0.5 }
 */
export function negativeSettings(config: KindredConfig): NegativeSettings {
  const c = config.care;
  return { repeat: c.negativeRepeat, fade: c.negativeFade, showLessFade: c.showLessFade };
}

/** One key per label: a category and a tag of the same name are different labels. */
export const labelKey = (l: ItemLabel): string => `${l.kind}\u0000${l.name}`;

/**
 * An item's categories and tags as labels (each once).
 *
 * @example itemLabels({ id: 'i', categories: ['Drama'], tags: ['sad'] }) // [{ kind: 'category', name: 'Drama' }, { kind: 'tag', name: 'sad' }]
 */
export function itemLabels(item: Item | undefined): ItemLabel[] {
  const out = new Map<string, ItemLabel>();
  for (const name of item?.categories ?? []) out.set(labelKey({ kind: 'category', name }), { kind: 'category', name });
  for (const name of item?.tags ?? []) out.set(labelKey({ kind: 'tag', name }), { kind: 'tag', name });
  return [...out.values()];
}

/**
 * The multiplier on a candidate's relevance for a label with `count` turned-down items: 1 below `repeat` (or when
 * repeat is 0), (1 − fade)^(count − repeat + 1) from `repeat` on. Geometric, as fatigue fades: each further "not
 * interested" takes the same share again, and the factor never reaches 0, so the category is demoted, never removed.
 *
 * @example labelFactor(3, { repeat: 2, fade: 0.5, showLessFade: 0.5 }) // 0.25
 */
export function labelFactor(count: number, s: NegativeSettings): number {
  if (s.repeat <= 0 || count < s.repeat) return 1;
  return (1 - s.fade) ** (count - s.repeat + 1);
}

/**
 * The categories and tags the user turned down at least `repeat` times (counted once per distinct item, whatever the
 * negative type), by label key, with their factor.
 *
 * @example demotedLabels([film('a', 'Drama'), film('b', 'Drama')], settings).get('category\u0000Drama')?.factor // 0.5
 */
export function demotedLabels(turnedDown: Iterable<Item>, s: NegativeSettings): Map<string, DemotedLabel> {
  const counts = new Map<string, { label: ItemLabel; negatives: number }>();
  for (const item of turnedDown) {
    for (const label of itemLabels(item)) {
      const key = labelKey(label);
      const entry = counts.get(key) ?? { label, negatives: 0 };
      entry.negatives++;
      counts.set(key, entry);
    }
  }
  const out = new Map<string, DemotedLabel>();
  for (const [key, { label, negatives }] of counts) {
    const factor = labelFactor(negatives, s);
    if (factor < 1) out.set(key, { label, negatives, factor });
  }
  return out;
}

/**
 * A candidate's factor from the demoted labels: that of its most demoted label (the smallest). The smallest, not the
 * product: an item's genres and tags are correlated, so one dismissal of a "Comedy|Romance" film should not count twice.
 *
 * @example labelDemotion({ id: 'x', categories: ['Drama', 'War'] }, demoted) // 0.5
 */
export function labelDemotion(item: Item | undefined, demoted: ReadonlyMap<string, DemotedLabel>): number {
  let factor = 1;
  if (demoted.size === 0) return factor;
  for (const label of itemLabels(item)) factor = Math.min(factor, demoted.get(labelKey(label))?.factor ?? 1);
  return factor;
}

/**
 * A candidate's factor from the items the user wants less like: 1 − showLessFade · d with
 * d = 1 − Π (1 − similarity_x · strength_x) over those items x (a noisy-or): one item gives d = similarity × strength,
 * several near the candidate add up without passing 1, and the factor stays above 0.
 *
 * @example showLessDemotion([0.8], [1], { repeat: 2, fade: 0.5, showLessFade: 0.5 }) // 0.6
 */
export function showLessDemotion(similarities: readonly number[], strengths: readonly number[], s: NegativeSettings): number {
  let spared = 1;
  for (let x = 0; x < similarities.length; x++) spared *= 1 - Math.max(0, Math.min(1, similarities[x] * strengths[x]));
  return 1 - s.showLessFade * (1 - spared);
}

/** What a user has turned down, as the stage and the feedback listing read it. */
export interface NegativeSignals {
  /** Items never shown (their negative events are in the history window). */
  negatives: ReadonlySet<ItemId>;
  /** Items whose neighbours are demoted, with a strength. */
  lessLike: ReadonlyMap<ItemId, number>;
  /** Categories and tags demoted, by label key. */
  demoted: ReadonlyMap<string, DemotedLabel>;
}

/**
 * The negative signals of a live profile's negatives and show-less items, given the stored records of those items
 * (an item no longer stored counts towards no label).
 *
 * @example negativeSignals(profile, await loadItemMap(store, [...profile.negatives]), settings).demoted.size // 1
 */
export function negativeSignals(
  profile: { negatives: ReadonlySet<ItemId>; lessLike: ReadonlyMap<ItemId, number> }, records: ReadonlyMap<ItemId, Item>, s: NegativeSettings,
): NegativeSignals {
  const turnedDown = [...profile.negatives].flatMap((id) => records.get(id) ?? []);
  return { negatives: profile.negatives, lessLike: profile.lessLike, demoted: demotedLabels(turnedDown, s) };
}
