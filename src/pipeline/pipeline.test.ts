import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import type { RecallChannelName } from '../config/pipeline-section.js';
import { fixedClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { emptyRow } from '../core/sparse.js';
import type { ModelBundle } from '../models/model-bundle.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { fromChannel, type Candidate } from './candidates.js';
import { runPipeline } from './pipeline.js';
import { stagesFromConfig, type PipelineStages } from './registry.js';
import type { RecommendContext } from './request-context.js';
import type { RecallChannel } from './stages/recall/channel.js';

/** A recall channel answering `ids` (scores falling from 1), or failing, or waiting until its deadline aborts it. */
function channel(name: RecallChannelName, behaviour: string[] | Error | 'hang', seen?: { signal?: AbortSignal }): RecallChannel {
  return {
    kind: 'recall',
    name,
    applies: () => true,
    async run({ signal }) {
      if (seen) seen.signal = signal;
      if (behaviour instanceof Error) throw behaviour;
      if (behaviour === 'hang') return new Promise<Candidate[]>((resolve) => setTimeout(() => resolve([]), 10_000).unref());
      return fromChannel(name, behaviour.map((itemId, i) => ({ itemId, score: 1 - i / 10 })));
    },
    evidence: () => undefined,
  };
}

async function setup(recall: RecallChannel[], count = 3): Promise<{ ctx: RecommendContext; stages: PipelineStages }> {
  const config = resolveConfig({
    store: { url: 'memory://' },
    pipeline: {
      recall: { cf: { quota: 1, pad: 0, deadlineMs: 1000 }, semantic: { quota: 1, pad: 0, deadlineMs: 1000 }, popular: { quota: 2, pad: 1, deadlineMs: 50 } },
      fuse: 'main-first',
      rerank: [],
    },
  });
  const store = new MemoryStore();
  await store.upsertItems(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, title: id.toUpperCase(), hidden: id === 'b' })));
  const row = emptyRow();
  const ctx: RecommendContext = {
    clock: fixedClock(0), logger: silentLogger, trace: [], count, bundle: {} as ModelBundle, store, config, row, cfRow: row,
    blocked: new Set(['e']), blockedIndexes: { all: new Int32Array(), trained: new Int32Array() }, textMayLeave: true,
  };
  const stages: PipelineStages = {
    ...stagesFromConfig(config.pipeline),
    recall,
    // The real explain stage needs a trained bundle; this one only shows which candidates reached it.
    explain: { kind: 'explain', name: 'reasons', run: async (cands) => cands.map((c) => ({ itemId: c.itemId, score: c.score, reasons: [] })) },
  };
  return { ctx, stages };
}

describe('pipeline runner', () => {
  it('runs recall -> merge -> filter -> fuse -> explain in order, tracing counts in and out', async () => {
    const { ctx, stages } = await setup([channel('cf', ['a', 'b', 'c']), channel('popular', ['c', 'd', 'e', 'f'])]);
    const { items } = await runPipeline(stages, ctx);
    // cf found only as many as asked (quota 1 x 3): no popular filler; hidden b and excluded e are filtered out.
    expect(items.map((r) => r.itemId)).toEqual(['a', 'c']);
    expect(ctx.trace.map((t) => [t.kind, t.stage, t.candidatesIn, t.candidatesOut])).toEqual([
      ['recall', 'cf', 0, 3],
      ['recall', 'popular', 0, 4],
      ['merge', 'merge', 7, 6],
      ['filter', 'availability', 6, 4],
      ['fuse', 'main-first', 4, 2],
      ['explain', 'reasons', 2, 2],
    ]);
    expect(ctx.trace.every((t) => t.degraded === undefined && t.ms >= 0)).toBe(true);
  });

  it('keeps every channel\'s score and rank on a candidate, and fusion says which channel placed it', async () => {
    const { ctx, stages } = await setup([channel('cf', ['a', 'c']), channel('popular', ['d', 'c', 'a'])]);
    const { shown } = await runPipeline(stages, ctx);
    const c = shown.find((x) => x.itemId === 'c');
    expect(c?.scores).toEqual({ cf: { score: 0.9, rank: 1, as: 'cf' }, popular: { score: 0.9, rank: 1, as: 'popular' } });
    expect(c?.via).toBe('cf');
    // cf found fewer than asked (2 of 3): popular fills, placed by popular
    expect(shown.map((x) => [x.itemId, x.via])).toEqual([['a', 'cf'], ['c', 'cf'], ['d', 'popular']]);
  });

  it('a failing channel degrades: traced with its reason, and the request is answered by the others', async () => {
    const { ctx, stages } = await setup([channel('cf', new Error('model file unreadable')), channel('popular', ['f', 'd', 'a'])]);
    const { items } = await runPipeline(stages, ctx);
    expect(items.map((r) => r.itemId)).toEqual(['f', 'd', 'a']);
    expect(ctx.trace.find((t) => t.stage === 'cf')).toMatchObject({ kind: 'recall', candidatesOut: 0, degraded: 'model file unreadable' });
    expect(ctx.trace.find((t) => t.stage === 'popular')?.degraded).toBeUndefined();
  });

  it('a slow channel is cut at its deadline, its signal aborted, and the list comes from the channels in time', async () => {
    const seen: { signal?: AbortSignal } = {};
    const { ctx, stages } = await setup([channel('semantic', ['d', 'a', 'c']), channel('popular', 'hang', seen)]);
    const t0 = performance.now();
    const { items } = await runPipeline(stages, ctx);
    // popular's deadline is 50 ms; generous bound so a busy machine does not fail the test
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(items.map((r) => r.itemId)).toEqual(['d', 'a', 'c']);
    expect(ctx.trace.find((t) => t.stage === 'popular')?.degraded).toMatch(/deadline of 50 ms/);
    expect(seen.signal?.aborted).toBe(true);
  });

  it('a cancelled request fails instead of degrading', async () => {
    const { ctx, stages } = await setup([channel('popular', 'hang')]);
    const controller = new AbortController();
    controller.abort(new Error('client went away'));
    await expect(runPipeline(stages, { ...ctx, signal: controller.signal })).rejects.toThrow('client went away');
  });
});
