/**
 * What review sentiment adds to one request (issue 10: the care stages must add ≤ 2 ms p99 in total), on Amazon
 * musical instruments 5-core: building each user's live profile from their reviews (rating events with text,
 * newest first, as the request context does) without review tone, with it on a cold memo (every text scored by
 * wink-nlp), and with it warm (scores read from the per-event-id memo, as every request after a user's first is).
 * Also a heavy history (500 reviews) and gentle mode's item scoring (30 candidates with TMDB overviews, cold and
 * warm per model version). Since migration 6: the profile built from a SQLite store written by another process (the
 * score stored with each event, the memo cold), and what scoring costs an import of the 10k reviews.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config/config.js';
import { DEFAULT_EVENT_TYPES } from '../src/config/schema.js';
import { IdIndex } from '../src/core/ids.js';
import type { StoredEvent } from '../src/core/types.js';
import { ItemToneMemo } from '../src/care/gentle.js';
import { eventToneOf } from '../src/care/review-tone.js';
import { scoreEventTexts } from '../src/care/scored-events.js';
import { textSentiment, winkScoreCount } from '../src/care/sentiment.js';
import { importDataset } from '../src/ingest/importer.js';
import { openStore } from '../src/storage/registry.js';
import { buildLiveProfile } from '../src/interests/live-profile.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, timeIt, type BenchResult } from './harness.js';

const DATASET = 'amazon-musical-instruments-5core';

function histories(dir: string, run: string): { byUser: Map<string, StoredEvent[]>; items: IdIndex; all: StoredEvent[] } {
  const all: StoredEvent[] = [];
  let n = 0;
  for (const line of readFileSync(join(dir, 'Musical_Instruments.json'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { reviewerID: string; asin: string; overall: number; unixReviewTime: number; summary?: string; reviewText?: string };
    // Ids unique per run, so the memo starts cold for each run.
    all.push({ id: `${run}-${n++}`, userId: r.reviewerID, itemId: r.asin, type: 'rating', value: r.overall, timestamp: new Date(r.unixReviewTime * 1000).toISOString(), text: [r.summary, r.reviewText].filter((t) => t).join('. ') });
  }
  const byUser = new Map<string, StoredEvent[]>();
  for (const e of all) byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e]);
  for (const h of byUser.values()) h.sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
  return { byUser, items: IdIndex.from([...new Set(all.map((e) => e.itemId))]), all };
}

function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function row(name: string, metric: string, ms: number[], extra: Record<string, number | string> = {}): BenchResult[] {
  const s = [...ms].sort((a, b) => a - b);
  return [
    { name, dataset: DATASET, metric: `${metric} p50`, value: percentile(s, 50), unit: 'ms', extra: { n: s.length, ...extra } },
    { name, dataset: DATASET, metric: `${metric} p99`, value: percentile(s, 99), unit: 'ms', extra: { n: s.length, max: s[s.length - 1], ...extra } },
  ];
}

/** TMDB overviews (the overview column of a quoted CSV), at most `n`. */
function overviews(n: number): string[] {
  const dir = datasetPath('movie-overviews');
  if (!dir) return [];
  const csv = readFileSync(join(dir, 'tmdb_5000_movies.csv'), 'utf8');
  const out: string[] = [];
  // Overviews are long quoted fields of prose; a field of at least 80 characters with a space is taken as one.
  for (const m of csv.matchAll(/"((?:[^"]|"")*)"/g)) {
    const field = m[1].replace(/""/g, '"');
    if (field.length >= 80 && field.includes(' ') && !field.startsWith('[')) out.push(field);
    if (out.length >= n) break;
  }
  return out;
}

/**
 * Migration 6: the reviews written with their scores into a SQLite file (as the engine writes them), then each user's
 * profile built from a fresh store on that file, as a restarted or second server would (the memo never holds these
 * ids, so any wink call would show). Also the import cost: the whole file through importDataset (scoring each text),
 * and the bulk writer alone with and without the scoring.
 */
async function storedScores(all: StoredEvent[], items: IdIndex, tone: ReturnType<typeof eventToneOf>): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kindred-review-tone-'));
  const out: BenchResult[] = [];
  try {
    const fresh = all.map((e) => ({ ...e, id: `stored-${e.id}` }));
    const writer = await openStore(`sqlite://${join(dir, 'written.db')}`);
    await writer.addEvents((await scoreEventTexts(fresh)).events);
    await writer.close();
    const reader = await openStore(`sqlite://${join(dir, 'written.db')}`);
    const wink = winkScoreCount();
    const users = [...new Set(fresh.map((e) => e.userId))];
    const ms: number[] = [];
    for (const u of users) {
      const h = await reader.history(u);
      ms.push(timed(() => buildLiveProfile(h, items, DEFAULT_EVENT_TYPES, undefined, tone)));
    }
    await reader.close();
    out.push(...row('review-tone.profile.stored', 'build profile', ms, { users: users.length, winkCalls: winkScoreCount() - wink }));
    // Import: the reviews as a JSONL file of events (no ids: content-hash ids, as a dataset import derives them).
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, all.map(({ id: _id, ...e }) => JSON.stringify(e)).join('\n'));
    const target = await openStore(`sqlite://${join(dir, 'imported.db')}`);
    const { seconds } = await timeIt(() => importDataset(target, { path: file, format: 'jsonl', kind: 'event', onError: 'abort' }));
    await target.close();
    out.push({ name: 'review-tone.import.with-scoring', dataset: DATASET, metric: 'seconds', value: seconds, unit: 's', extra: { events: all.length } });
    for (const scored of [false, true]) {
      const store = await openStore(`sqlite://${join(dir, `bulk-${scored}.db`)}`);
      const batches = Array.from({ length: Math.ceil(all.length / 5000) }, (_, b) => all.slice(b * 5000, b * 5000 + 5000).map((e) => ({ ...e, id: `bulk-${scored}-${e.id}` })));
      const { seconds: s } = await timeIt(async () => {
        const w = await store.bulk();
        for (const batch of batches) await w.addEvents(scored ? (await scoreEventTexts(batch)).events : batch);
        await w.commit();
      });
      await store.close();
      out.push({ name: `review-tone.bulk-write.${scored ? 'scored' : 'unscored'}`, dataset: DATASET, metric: 'seconds', value: s, unit: 's', extra: { events: all.length } });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const dir = datasetPath(DATASET);
  if (!dir) {
    console.warn(`skipping: ${DATASET} not found (set KINDRED_DATA_DIR)`);
    return [];
  }
  const config = resolveConfig({});
  const tone = eventToneOf(config);
  textSentiment('warm up: load wink once'); // the one-off model load (~150 ms) is not a request's cost
  const out: BenchResult[] = [];
  const { byUser, items, all } = histories(dir, 'cost');
  const users = [...byUser.values()];
  const plain = users.map((h) => timed(() => buildLiveProfile(h, items, DEFAULT_EVENT_TYPES)));
  const cold = users.map((h) => timed(() => buildLiveProfile(h, items, DEFAULT_EVENT_TYPES, undefined, tone)));
  const warm = users.map((h) => timed(() => buildLiveProfile(h, items, DEFAULT_EVENT_TYPES, undefined, tone)));
  const reviews = users.map((h) => h.length).sort((a, b) => a - b);
  const extra = { users: users.length, reviewsP50: percentile(reviews, 50), reviewsMax: reviews[reviews.length - 1] };
  out.push(...row('review-tone.profile.plain', 'build profile', plain, extra));
  out.push(...row('review-tone.profile.cold', 'build profile', cold, extra));
  out.push(...row('review-tone.profile.warm', 'build profile', warm, extra));
  // A heavy user: 500 reviews (the default recommend.historyLimit), cold and warm, 20 rounds with fresh ids.
  const heavyCold: number[] = [];
  const heavyWarm: number[] = [];
  for (let round = 0; round < 20; round++) {
    const h = all.slice(round * 500, round * 500 + 500).map((e) => ({ ...e, id: `heavy-${round}-${e.id}` }));
    heavyCold.push(timed(() => buildLiveProfile(h, items, DEFAULT_EVENT_TYPES, undefined, tone)));
    heavyWarm.push(timed(() => buildLiveProfile(h, items, DEFAULT_EVENT_TYPES, undefined, tone)));
  }
  out.push(...row('review-tone.profile.heavy-cold', 'build profile', heavyCold, { reviews: 500 }));
  out.push(...row('review-tone.profile.heavy-warm', 'build profile', heavyWarm, { reviews: 500 }));
  out.push(...await storedScores(all, items, tone));
  // Gentle mode: 30 candidates' texts per request, scored once per model version.
  const texts = overviews(3_000);
  if (texts.length >= 30) {
    const memo = new ItemToneMemo();
    const version = {};
    const coldPools: number[] = [];
    const warmPools: number[] = [];
    for (let p = 0; p + 30 <= texts.length; p += 30) {
      const pool = texts.slice(p, p + 30).map((text, i) => ({ id: `m${p + i}`, text }));
      coldPools.push(timed(() => { for (const it of pool) memo.toneOf(version, it); }));
      warmPools.push(timed(() => { for (const it of pool) memo.toneOf(version, it); }));
    }
    out.push(...row('review-tone.gentle-items.cold', '30 item texts', coldPools, { dataset: 'movie-overviews' }));
    out.push(...row('review-tone.gentle-items.warm', '30 item texts', warmPools, { dataset: 'movie-overviews' }));
  }
  return out;
}
