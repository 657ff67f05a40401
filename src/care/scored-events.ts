import type { Event, ScoredEvent } from '../core/types.js';
import { textSentiment } from './sentiment.js';

/**
 * Scores the texts of events as they are written, so the score is stored with the event (SQLite migration 6, the
 * memory store alike) and every later read, in any process, takes it from the row instead of calling wink (0.25–0.9 ms
 * per review; a 500-review history costs 31 ms cold). Only the built-in English model runs here: the LLM path
 * (care/llm-sentiment.ts) never delays a write.
 */

/** Scoring yields to the event loop after this much work, so a large batch or an import never stalls requests. */
const SLICE_MS = 8;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What scoring a batch did: texts scored by wink, and how many gave a score (the rest have no signal). */
export interface ScoringReport {
  texts: number;
  scored: number;
}

/**
 * Copies of the events with `sentiment` set from their text (events without text, or whose text gives no signal,
 * are returned without it). A `sentiment` already on an input event is never trusted: it is recomputed or dropped,
 * since the score is derived data. Yields to the event loop every ~8 ms of scoring.
 *
 * @example const { events } = await scoreEventTexts([{ userId: 'u', itemId: 'i', type: 'review', timestamp: '2024-01-01T00:00:00Z', text: 'Broke at once' }]) // events[0].sentiment < 0
 */
export async function scoreEventTexts(events: readonly Event[]): Promise<{ events: ScoredEvent[]; report: ScoringReport }> {
  const out: ScoredEvent[] = [];
  const report: ScoringReport = { texts: 0, scored: 0 };
  let sliceStart = performance.now();
  for (const e of events) {
    const { sentiment: _ignored, ...event } = e as ScoredEvent;
    if (typeof event.text === 'string' && event.text !== '') {
      report.texts++;
      const score = textSentiment(event.text);
      if (score !== undefined) {
        report.scored++;
        out.push({ ...event, sentiment: score });
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
        continue;
      }
    }
    out.push(event);
  }
  return { events: out, report };
}
