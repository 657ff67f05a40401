import type { ItemId, UserId } from '../core/types.js';
import type { ItemSpaceKind } from './item-space.js';

/** The settings of section `interests` in the config (see docs/interests.md). */
export interface InterestOptions {
  /** Most interests per user (K). */
  maxInterests: number;
  /** Half-life in days of the long-term interest (whole history). */
  longHalfLifeDays: number;
  /** The short-term interest reads this many most recent positive events. */
  shortWindow: number;
  /** Half-life in days inside the short-term window. */
  shortHalfLifeDays: number;
}

export const DEFAULT_INTEREST_OPTIONS: InterestOptions = { maxInterests: 4, longHalfLifeDays: 365, shortWindow: 20, shortHalfLifeDays: 7 };

/** One item of a profile, with its decayed weight (event-type weight × decay, summed over the item's events). */
export interface ProfileItem {
  itemId: ItemId;
  title?: string;
  weight: number;
}

/** Long- or short-term interest. */
export interface InterestTerm {
  /** Positive events it reads. */
  events: number;
  /** Distinct items of those events. */
  items: number;
  halfLifeDays: number;
  /** The window in events (short term only). */
  window?: number;
  /**
   * Unit weighted mean of the items' vectors, per shared space the bundle has ('factors', 'text'); short term only,
   * 'sequence': the sequence model's state after the latest item (see `next`), in that model's item-embedding space.
   */
  vectors: Partial<Record<'factors' | 'text' | 'sequence', number[]>>;
  /** The heaviest items. */
  top: ProfileItem[];
  /**
   * Short term only, when the served model reads histories as sequences (a trained transformer) and the user has a
   * positive event on a trained item: what the latest events predict. Absent otherwise (the window's heaviest items
   * and mean vectors above are then the whole short-term interest).
   */
  next?: SequenceInterest;
}

/** What a sequence model predicts from the user's latest events, described for people. */
export interface SequenceInterest {
  /** The model that read the sequence ('transformer'). */
  model: string;
  /** The predicted items' distinctive categories and tags, e.g. "Sci-Fi · space" (or "like" and two titles). */
  label: string;
  terms: Array<{ term: string; score: number }>;
  /**
   * Predicted items not consumed yet, highest score first; weight = the item's share of the predicted probability
   * among them. A served profile leaves out items of muted interests, moves boosted ones up and shows at most 5.
   */
  items: ProfileItem[];
}

/** One of the user's interests: a cluster of their items. */
export interface Interest {
  /**
   * Stable id: kept while the interest is updated event by event and carried over when the user's items are
   * clustered again (to the new interest sharing most of its items), so a mute or boost keeps pointing at it.
   */
  id: string;
  /** Readable label from the items' distinctive categories, tags and keywords, e.g. "Sci-Fi · War · Adventure". */
  label: string;
  /** 'llm' when a language model wrote the label (config llm.provider); absent for the built-in label. */
  labelBy?: 'llm';
  /** The terms of the label with their scores. */
  terms: Array<{ term: string; score: number }>;
  /** Share of the user's long-term weight (all interests sum to 1). */
  weight: number;
  /** Share of the user's short-term weight. */
  recentWeight: number;
  /** Items in the interest. */
  size: number;
  /** Its most typical items: weight × cosine to the interest's centre, highest first. */
  items: ProfileItem[];
  /** Set by the user (PATCH /v1/users/{id}/profile): items of a muted interest are left out of their lists. */
  muted: boolean;
  /** Set by the user: items of the interest move up (boost > 1) or down (< 1) their lists; 1 = as ranked. */
  boost: number;
}

export interface InterestProfile {
  userId: UserId;
  /** The served model version the vectors come from. */
  model: { name: string; version: number };
  /** The space interests are clustered in and drift is measured in (the first of factors, text, neighbours). */
  space: { kind: ItemSpaceKind; source: string };
  /** Positive events read (the whole stored history up to config interests.historyLimit). */
  events: number;
  longTerm: InterestTerm;
  shortTerm: InterestTerm;
  /** 1 − cos(short-term, long-term) in `space`: 0 = the recent events match the long-term taste; null without vectors. */
  drift: number | null;
  interests: Interest[];
}
