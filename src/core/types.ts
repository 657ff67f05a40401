/** Domain records shared by every stage of the pipeline. Ids are opaque strings chosen by the client. */

export type ItemId = string;
export type UserId = string;
export type AttributeValue = string | number | boolean | null;
export type Attributes = Record<string, AttributeValue | AttributeValue[]>;

export interface Item {
  id: ItemId;
  title?: string;
  /** Free text (description, overview, body) used for embeddings and explanations. */
  text?: string;
  categories?: string[];
  tags?: string[];
  attributes?: Attributes;
  /** ISO-8601 time the item was published; used by freshness. */
  createdAt?: string;
  /** ISO-8601 time after which the item is never recommended. */
  expiresAt?: string;
  /** Hidden items stay in the store (history, erasure) but are never recommended. */
  hidden?: boolean;
}

export interface User {
  id: UserId;
  attributes?: Attributes;
  /**
   * Consent flags, e.g. { personalisation: false } makes the user get non-personal lists only; { llm: false } keeps
   * their text from every provider whose calls leave the machine (src/privacy/consent.ts).
   */
  consent?: Record<string, boolean>;
}

/** Built-in event types; deployments may add their own through config (`events.types`). */
export type BuiltinEventType =
  | 'view' | 'click' | 'cart' | 'purchase' | 'rating' | 'like'
  | 'dislike' | 'not_interested' | 'show_less' | 'review' | 'impression';

export interface Event {
  /** Client-chosen id; makes re-sending the same event idempotent. Derived from content when absent. */
  id?: string;
  userId: UserId;
  itemId: ItemId;
  type: string;
  /** Rating value, quantity, dwell seconds... meaning depends on type. */
  value?: number;
  /** ISO-8601 timestamp. */
  timestamp: string;
  /** Optional free text, e.g. a review. Never logged. */
  text?: string;
}

/**
 * An event on its way into the store or read back from it: the id is always present, and `sentiment` is the score of
 * its text in −1..1 (src/care/sentiment.ts). The sentiment is derived data set by the engine when it stores the event
 * (API writes and imports), never by clients: the API and import schemas reject an event carrying it (400). Absent
 * when the event has no text, when the text gives no signal (e.g. a script the English model does not read), or when
 * the event was stored before the score was kept (SQLite migration 6); readers then score the text themselves.
 */
export interface StoredEvent extends Event {
  id: string;
  sentiment?: number;
}

/** An event as the engine hands it to a store: an Event, with the sentiment of its text when it has one. */
export interface ScoredEvent extends Event { sentiment?: number }

export interface Scored { index: number; score: number }

/** A history item a model credits for a recommended item, and its weight in that item's score. */
export interface Credit {
  itemId: ItemId;
  weight: number;
}

/** What a piece of evidence is: an item (of the history, or above it in the list), a stored interest, a category or tag, the search, a count, or the recall channel itself. */
export type EvidenceKind = 'item' | 'interest' | 'category' | 'tag' | 'query' | 'stat' | 'channel';

/** One fact a reason rests on, by id, so a client can link it or check it. */
export interface Evidence {
  kind: EvidenceKind;
  /** Item id, interest id, category or tag name, the query text, the counted quantity ('people'), or the channel name. */
  id: string;
  /** Readable name: the item's title, the interest's label. */
  label?: string;
  /** How much: the item's contribution, the user's share of a category, a count, a channel score. */
  value?: number;
  /** For a count: the days it was counted over (absent: all time). */
  windowDays?: number;
}

export interface Reason {
  /** Machine-readable kind: 'similar-to', 'popular', 'cold-start', 'semantic', 'tag', 'fresh', ... */
  kind: string;
  /** Human-readable sentence. */
  text: string;
  /** Ids of items that contributed (for 'similar-to'). */
  itemIds?: ItemId[];
  weight?: number;
  /** The facts the reason rests on; every reason of a response has at least one (src/care/explain.ts). */
  evidence?: Evidence[];
}

export interface Recommendation {
  itemId: ItemId;
  score: number;
  title?: string;
  reasons: Reason[];
  /** One sentence from the LLM provider built from the reasons (only with explain=true and a provider). */
  explanation?: string;
}
