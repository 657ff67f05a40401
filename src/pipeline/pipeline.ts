import type { Recommendation } from '../core/types.js';
import type { Candidate } from './candidates.js';
import type { MovementLog, StageOutput } from './movement.js';
import type { PipelineStages } from './registry.js';
import type { RecommendContext } from './request-context.js';
import { Degraded, type RequestContext, type Stage } from './stage.js';
import { recallDepths } from './filters/recall-depth.js';
import type { ChannelList, Merged } from './stages/merge.js';
import type { RecallChannel } from './stages/recall/channel.js';
import { requireQueryModel } from './stages/recall/query.js';
import { errorMessage } from '../core/errors.js';

/**
 * Runs one stage and appends its trace entry (name, kind, time, candidates in and out; degraded when the stage fell
 * back and said why).
 *
 * @example const shown = await runStage(stages.filter, merged, ctx, (m) => m.candidates.length, (m) => m.candidates.length)
 */
export async function runStage<I, O, C extends RequestContext>(
  stage: Stage<I, O, C>, input: I, ctx: C, countIn: (i: I) => number, countOut: (o: O) => number,
): Promise<O> {
  const t0 = performance.now();
  const result = await stage.run(input, ctx);
  const out = result instanceof Degraded ? result.out : result;
  ctx.trace.push({
    stage: stage.name, kind: stage.kind, ms: performance.now() - t0, candidatesIn: countIn(input), candidatesOut: countOut(out),
    ...(result instanceof Degraded ? { degraded: result.reason } : {}),
  });
  return out;
}

/** The candidates scoring at least `minScore` on their channel's scale (config pipeline.recall.<name>.minScore). */
function atLeast(candidates: Candidate[], minScore: number | undefined): Candidate[] {
  return minScore === undefined ? candidates : candidates.filter((c) => c.score >= minScore);
}

/** How many candidates a channel recalls on a plain pass: quota × list length + pad (config pipeline.recall). */
function budgetOf(channel: RecallChannel, ctx: RecommendContext): number {
  const budget = ctx.config.pipeline.recall[channel.name];
  return budget ? Math.ceil(ctx.count * budget.quota) + budget.pad : 0;
}

/**
 * One recall channel under its deadline (config pipeline.recall.<name>.deadlineMs), recalling `depth` times its
 * budget (more than 1 only on the deeper passes of a filtered request), keeping those that reach its minScore. A channel that throws or misses its deadline
 * is left out: logged, traced as degraded, answered as an empty list; the request goes on. A cancelled request
 * (ctx.signal) still fails.
 */
async function runChannel(channel: RecallChannel, ctx: RecommendContext, depth: { factor: number; cap: number }): Promise<ChannelList> {
  const budget = ctx.config.pipeline.recall[channel.name];
  const k = Math.min(Math.ceil(budgetOf(channel, ctx) * depth.factor), depth.cap);
  const deadlineMs = budget?.deadlineMs ?? 0;
  const name = channel.traceName?.(ctx) ?? channel.name;
  const uncovered = channel.uncovered?.(ctx);
  const covers = uncovered ? { uncovered } : {};
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let cancel: (() => void) | undefined;
  // Settles (rejects) first when the deadline passes or the request is cancelled; the channel's signal is aborted too.
  const cutOff = new Promise<never>((_, reject) => {
    cancel = () => {
      controller.abort(ctx.signal?.reason);
      reject(ctx.signal?.reason instanceof Error ? ctx.signal.reason : new Error('request cancelled'));
    };
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`deadline of ${deadlineMs} ms passed`));
    }, deadlineMs);
  });
  if (ctx.signal?.aborted) cancel?.();
  else if (cancel) ctx.signal?.addEventListener('abort', cancel, { once: true });
  const t0 = performance.now();
  try {
    const result = await Promise.race([Promise.resolve().then(() => channel.run({ k, signal: controller.signal }, ctx)), cutOff]);
    const ms = performance.now() - t0;
    const candidates = atLeast(result instanceof Degraded ? result.out : result, budget?.minScore);
    const degraded = result instanceof Degraded ? result.reason : undefined;
    ctx.trace.push({ stage: name, kind: 'recall', ms, candidatesIn: 0, candidatesOut: candidates.length, ...covers, ...(degraded ? { degraded } : {}) });
    return { channel: channel.name, k, candidates, ...(degraded ? { degraded } : {}) };
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    const reason = errorMessage(err);
    ctx.logger.warn('recall channel degraded', { stage: name, reason });
    ctx.trace.push({ stage: name, kind: 'recall', ms: performance.now() - t0, candidatesIn: 0, candidatesOut: 0, ...covers, degraded: reason });
    return { channel: channel.name, k, candidates: [], degraded: reason };
  } finally {
    clearTimeout(timer);
    if (cancel) ctx.signal?.removeEventListener('abort', cancel);
  }
}

/**
 * Starts the channels one after another: the next starts when the previous has answered or has yielded the thread
 * (waiting on I/O). Channels that score in process thus run one at a time and each one's traced time is its own,
 * while channels that wait still overlap.
 */
async function startChannels(channels: readonly RecallChannel[], run: (ch: RecallChannel) => Promise<ChannelList>): Promise<Array<Promise<ChannelList>>> {
  const started: Array<Promise<ChannelList>> = [];
  for (const ch of channels) {
    const answer = run(ch);
    started.push(answer);
    try {
      await Promise.race([answer, new Promise<void>((resolve) => setImmediate(resolve))]);
    } catch (err) {
      // the request was cancelled: the channels already started fail the same way, and nobody awaits them
      for (const p of started) p.catch(() => undefined);
      throw err;
    }
  }
  return started;
}

/** What one run of the pipeline produced. */
export interface PipelineRun {
  items: Recommendation[];
  /** The shown candidates with their per-channel scores and ranks (what the reasons were built from). */
  shown: Candidate[];
  /** The whole fused, re-ranked list before it was cut to ctx.count (what the list cache keeps). */
  ranked: Candidate[];
  /** What fusion was given: every recalled candidate that passed the filter (evaluation counts each channel's recall from it). */
  recalled?: Candidate[];
  /** The fused list and each re-rank stage's output, by reference (movement.ts works out who moved what); live runs only. */
  movement?: MovementLog;
}

/**
 * The request flow: recall channels (concurrent, each under its deadline) -> merge -> filter -> fuse -> re-rank
 * stages -> cut to ctx.count -> explain. Every stage is traced in ctx.trace.
 *
 * @example const { items } = await runPipeline(stagesFromConfig(config.pipeline), await buildRecommendContext(...))
 */
export async function runPipeline(stages: PipelineStages, ctx: RecommendContext): Promise<PipelineRun> {
  if (ctx.query) requireQueryModel(ctx); // a query no channel can answer is the caller's error, not a degraded channel
  const channels = stages.recall.filter((ch) => ch.applies(ctx));
  const total = (ls: ChannelList[]) => ls.reduce((s, l) => s + l.candidates.length, 0);
  let shown: Merged = { candidates: [], channels: [] };
  // A request filter (ctx.keepItem) can reject most of what recall brings: recall deeper, pass by pass, while the
  // filtered list is short and some channel still had more to give (filters/recall-depth.ts).
  const base = Math.max(1, ...channels.map((ch) => budgetOf(ch, ctx)));
  const filtered = ctx.keepItem !== undefined;
  const cap = filtered ? Math.max(ctx.bundle.items.size, 1) : Infinity;
  for (const depth of filtered ? recallDepths(base, true, cap) : [base]) {
    const lists = await Promise.all(await startChannels(channels, (ch) => runChannel(ch, ctx, { factor: depth / base, cap })));
    const merged = await runStage(stages.merge, lists, ctx, total, (m) => m.candidates.length);
    shown = await runStage(stages.filter, merged, ctx, (m) => m.candidates.length, (m) => m.candidates.length);
    if (shown.candidates.length >= ctx.count || lists.every((l) => l.candidates.length < l.k)) break;
  }
  const fused = await runStage(stages.fuse, shown, ctx, (m) => m.candidates.length, (r) => r.length);
  let ranked = fused;
  const reranks: StageOutput[] = [];
  for (const stage of stages.rerank.filter((st) => st.applies?.(ctx) ?? true)) {
    ranked = await runStage(stage, ranked, ctx, (r) => r.length, (r) => r.length);
    reranks.push({ stage: stage.name, out: ranked });
  }
  const head = ranked.slice(0, ctx.count);
  const items = await runStage(stages.explain, head, ctx, (r) => r.length, (r) => r.length);
  return { items, shown: head, ranked, recalled: shown.candidates, movement: { fused, reranks } };
}

/**
 * The filter stage over the head of a cached list only: windows of candidates, in order, until `count` are kept or the
 * list ends (a window of the list's items is one store read, so a hit reads about `count` item records instead of the
 * whole list). The filter keeps or drops each candidate on its own, so the kept prefix is the same as filtering the
 * whole list and cutting it. Traced as one entry: the candidates looked at, and those kept.
 */
async function filterHead(stages: PipelineStages, ctx: RecommendContext, cached: Candidate[]): Promise<Candidate[]> {
  const t0 = performance.now();
  const kept: Candidate[] = [];
  let degraded: string | undefined;
  let from = 0;
  for (let size = ctx.count + Math.max(4, Math.ceil(ctx.count / 2)); from < cached.length && kept.length < ctx.count; size *= 2) {
    const result = await stages.filter.run({ candidates: cached.slice(from, from + size), channels: [] }, ctx);
    kept.push(...(result instanceof Degraded ? result.out : result).candidates);
    degraded ??= result instanceof Degraded ? result.reason : undefined;
    from += size;
  }
  ctx.trace.push({
    stage: stages.filter.name, kind: stages.filter.kind, ms: performance.now() - t0, candidatesIn: Math.min(from, cached.length), candidatesOut: kept.length,
    ...(degraded !== undefined ? { degraded } : {}),
  });
  return kept;
}

/**
 * The request flow over a list made earlier by the same stages (see list-cache.ts): filter (items hidden or expired
 * since are dropped) -> cut to ctx.count -> explain. Undefined when the filter left fewer items than the list could
 * give, so the caller computes the list live instead. Only the head of the list is filtered (filterHead), so `ranked`
 * is the kept part of the list looked at, not the whole list.
 *
 * @example const run = await runOnCachedList(stages, ctx, fromCachedList(list, ctx), t0)
 */
export async function runOnCachedList(stages: PipelineStages, ctx: RecommendContext, cached: Candidate[], startedMs: number): Promise<PipelineRun | undefined> {
  ctx.trace.push({ stage: 'cached-list', kind: 'recall', ms: performance.now() - startedMs, candidatesIn: 0, candidatesOut: cached.length, cached: true });
  const shown = await filterHead(stages, ctx, cached);
  if (shown.length < Math.min(ctx.count, cached.length)) return undefined;
  const head = shown.slice(0, ctx.count);
  const items = await runStage(stages.explain, head, ctx, (r) => r.length, (r) => r.length);
  return { items, shown: head, ranked: shown };
}

/**
 * Recall and merge only, every channel asked for its plain budget: the candidates fusion is learned from offline
 * (fusion/learn.ts), where the channels' own excludes already keep out what the user has seen.
 *
 * @example const { candidates } = await recallMerged(stages, offlineContext(...))
 */
export async function recallMerged(stages: PipelineStages, ctx: RecommendContext): Promise<Merged> {
  const channels = stages.recall.filter((ch) => ch.applies(ctx));
  const lists = await Promise.all(channels.map((ch) => runChannel(ch, ctx, { factor: 1, cap: Infinity })));
  return runStage(stages.merge, lists, ctx, (ls) => ls.reduce((s, l) => s + l.candidates.length, 0), (m) => m.candidates.length);
}
