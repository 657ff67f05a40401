import type { KindredConfig } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { EngineError } from '../core/errors.js';
import type { Event, Item, ItemId, StoredEvent, UserId } from '../core/types.js';
import { buildLiveProfile } from '../interests/live-profile.js';
import { loadItemMap } from '../pipeline/candidates.js';
import { requestHistoryRead } from '../pipeline/request-context.js';
import type { Cache } from '../storage/cache.js';
import type { Store } from '../storage/store.js';
import { itemLabels, labelKey, negativeSettings, negativeSignals, type NegativeSignals } from './negative-feedback.js';

/** What a user can say about an item: not interested in it, or show less like it (its neighbours are demoted too). */
export type FeedbackKind = 'not-interested' | 'show-less';

/** The event type each kind is stored as (both negative in the default events.types). */
export const FEEDBACK_TYPES: Readonly<Record<FeedbackKind, string>> = { 'not-interested': 'not_interested', 'show-less': 'show_less' };

/** One piece of feedback: `engine.feedback(userId, { kind, itemId })`, `POST /v1/users/{id}/feedback`. */
export interface FeedbackInput {
  kind: FeedbackKind;
  itemId: ItemId;
  /** When it was said (ISO-8601 or a Date); default now. */
  at?: string | Date;
}

/** What one piece of feedback currently does to the user's lists. */
export type FeedbackEffect =
  | { kind: 'item-removed'; text: string }
  | { kind: 'category-demoted' | 'tag-demoted'; name: string; negatives: number; keeps: number; text: string }
  | { kind: 'neighbours-demoted'; strength: number; text: string };

/** The user's negative feedback on one item: every negative type they gave on it, and what it does now. */
export interface FeedbackEntry {
  itemId: ItemId;
  title?: string;
  /** The negative event types stored for this item (not_interested, show_less, dislike...), newest first. */
  types: string[];
  /** When the newest of them was given. */
  at: string;
  /** Empty when it no longer acts (older than the history window a request reads, or personalisation is off). */
  effects: FeedbackEffect[];
}

export interface FeedbackList {
  userId: UserId;
  /** Newest first. */
  feedback: FeedbackEntry[];
}

/** What taking feedback back removed. */
export interface FeedbackRemoval {
  userId: UserId;
  itemId: ItemId;
  /** Negative events deleted. */
  removed: number;
}

/** At most this many negative events are listed (the newest). */
export const FEEDBACK_LIST_LIMIT = 1000;

/**
 * The configured negative event types (events.types entries with `negative: true`).
 *
 * @example negativeTypes(config) // ['dislike', 'not_interested', 'show_less']
 */
export function negativeTypes(config: KindredConfig): string[] {
  return Object.entries(config.events.types).filter(([, t]) => t.negative === true).map(([name]) => name);
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * The event a piece of feedback is stored as; INVALID_INPUT naming the field for a bad one, UNSUPPORTED when config
 * events.types does not have the kind's type as a negative type.
 *
 * @example feedbackEvent('u1', { kind: 'show-less', itemId: 'i7' }, config, '2024-01-01T00:00:00.000Z') // { userId: 'u1', itemId: 'i7', type: 'show_less', timestamp: '2024-01-01T00:00:00.000Z' }
 */
export function feedbackEvent(userId: UserId, input: FeedbackInput, config: KindredConfig, nowIso: string): Event {
  if (!nonEmpty(userId)) throw new EngineError('INVALID_INPUT', 'userId must be a non-empty string', { path: '/userId' });
  if (typeof input !== 'object' || input === null) throw new EngineError('INVALID_INPUT', 'feedback must be an object { kind, itemId }', { path: '/' });
  const type = Object.hasOwn(FEEDBACK_TYPES, input.kind) ? FEEDBACK_TYPES[input.kind] : undefined;
  if (type === undefined) throw new EngineError('INVALID_INPUT', `kind must be one of ${Object.keys(FEEDBACK_TYPES).join(', ')}`, { path: '/kind' });
  if (!nonEmpty(input.itemId)) throw new EngineError('INVALID_INPUT', 'itemId must be a non-empty string', { path: '/itemId' });
  if (config.events.types[type]?.negative !== true) {
    throw new EngineError('UNSUPPORTED', `feedback ${input.kind} needs the negative event type ${type} in config events.types`, { path: '/kind' });
  }
  const at = input.at instanceof Date && !Number.isNaN(input.at.getTime()) ? input.at.toISOString() : input.at ?? nowIso;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) throw new EngineError('INVALID_INPUT', 'at must be an ISO-8601 time or a Date', { path: '/at' });
  return { userId, itemId: input.itemId, type, timestamp: at };
}

function effectsOf(itemId: ItemId, item: Item | undefined, signals: NegativeSignals, stageOn: boolean): FeedbackEffect[] {
  const name = item?.title ?? itemId;
  const effects: FeedbackEffect[] = [];
  if (signals.negatives.has(itemId)) effects.push({ kind: 'item-removed', text: `${name} is not recommended to you` });
  if (!stageOn) return effects;
  for (const label of itemLabels(item)) {
    const d = signals.demoted.get(labelKey(label));
    if (!d) continue;
    const text = `${label.kind === 'category' ? 'Category' : 'Tag'} ${label.name} is shown less (${d.negatives} items you turned down)`;
    effects.push({ kind: label.kind === 'category' ? 'category-demoted' : 'tag-demoted', name: label.name, negatives: d.negatives, keeps: d.factor, text });
  }
  const strength = signals.lessLike.get(itemId);
  if (strength !== undefined) effects.push({ kind: 'neighbours-demoted', strength, text: `Items like ${name} are shown less` });
  return effects;
}

/** The negative events grouped per item, newest item first (events come newest first). */
function perItem(said: readonly StoredEvent[]): Array<{ itemId: ItemId; types: string[]; at: string }> {
  const out = new Map<ItemId, { itemId: ItemId; types: string[]; at: string }>();
  for (const e of said) {
    const entry = out.get(e.itemId) ?? { itemId: e.itemId, types: [], at: e.timestamp };
    if (!entry.types.includes(e.type)) entry.types.push(e.type);
    out.set(e.itemId, entry);
  }
  return [...out.values()];
}

/** What the feedback functions need from the engine. */
export interface FeedbackDeps {
  config: KindredConfig;
  store: Store;
  cache: Cache;
  clock: Clock;
  /** engine.addEvents: validated, and noted in the user's profile like any event. */
  addEvents: (events: Event[]) => Promise<unknown>;
}

/**
 * The typed feedback API over negative events: give it, list it with what it does, take it back.
 *
 * @example const feedback = createFeedback(deps); await feedback.give('u1', { kind: 'not-interested', itemId: 'i7' })
 */
export function createFeedback(deps: FeedbackDeps) {
  const { config, store, cache } = deps;

  /** The user's negative feedback, newest first, with what each piece currently does (the stage's own arithmetic). */
  async function list(userId: UserId): Promise<FeedbackList> {
    if (!nonEmpty(userId)) throw new EngineError('INVALID_INPUT', 'userId must be a non-empty string', { path: '/userId' });
    const [said, window, user] = await Promise.all([
      store.history(userId, { types: negativeTypes(config), limit: FEEDBACK_LIST_LIMIT }),
      store.history(userId, requestHistoryRead(config)),
      store.getUser(userId),
    ]);
    const entries = perItem(said);
    const live = buildLiveProfile(window, undefined, config.events.types);
    const personal = user?.consent?.personalisation !== false;
    const records = await loadItemMap(store, [...entries.map((e) => e.itemId), ...live.lessLike.keys()]);
    const signals = negativeSignals(live, records, negativeSettings(config));
    const stageOn = config.pipeline.rerank.includes('negative-feedback');
    const feedback = entries.map((e) => {
      const item = records.get(e.itemId);
      return { ...e, ...(item?.title ? { title: item.title } : {}), effects: personal ? effectsOf(e.itemId, item, signals, stageOn) : [] };
    });
    return { userId, feedback };
  }

  return {
    list,

    /** Stores one piece of feedback (NOT_FOUND for an unknown item) and returns its entry as `list` shows it. */
    async give(userId: UserId, input: FeedbackInput): Promise<FeedbackEntry> {
      const event = feedbackEvent(userId, input, config, new Date(deps.clock.now()).toISOString());
      const [item] = await store.getItems([event.itemId]);
      if (!item) throw new EngineError('NOT_FOUND', 'unknown item', { id: event.itemId });
      await deps.addEvents([event]);
      await cache.invalidate({ subject: userId });
      const entry = (await list(userId)).feedback.find((f) => f.itemId === event.itemId);
      if (!entry) throw new EngineError('INTERNAL', 'feedback was stored but is not listed', { id: event.itemId });
      return entry;
    },

    /** Deletes every negative event of the user on the item: the item, its category and its neighbours come back. */
    async remove(userId: UserId, itemId: ItemId): Promise<FeedbackRemoval> {
      if (!nonEmpty(userId)) throw new EngineError('INVALID_INPUT', 'userId must be a non-empty string', { path: '/userId' });
      if (!nonEmpty(itemId)) throw new EngineError('INVALID_INPUT', 'itemId must be a non-empty string', { path: '/itemId' });
      const removed = await store.deleteEvents(userId, { itemId, types: negativeTypes(config) });
      if (removed === 0) throw new EngineError('NOT_FOUND', 'no feedback from this user on this item', { id: itemId });
      await cache.invalidate({ subject: userId }); // a cached list was made with the feedback
      return { userId, itemId, removed };
    },
  };
}
