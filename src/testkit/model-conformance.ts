import { describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { isEngineError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import type { SparseRow } from '../core/sparse.js';
import type { Scored } from '../core/types.js';
import { decodeArtifact, encodeArtifact } from '../models/artifact.js';
import type { ModelDefinition } from '../models/definition.js';
import { hasExplainer, hasFoldIn, hasSimilarItems, hasUnlearn, type FitContext, type Model } from '../models/model.js';
import { checkerboard, FIXTURE_EPOCH_MS, userRow, withoutUser, type Checkerboard } from './fixtures.js';

export interface ConformanceOptions {
  /**
   * False for models that give everyone the same list (e.g. popularity): the known-answer test then checks that
   * lists do not depend on the user instead of expecting each user's withheld item first. Default true.
   */
  personalised?: boolean;
  /** Extra FitContext fields (e.g. threads); the suite supplies logger, a fixed clock and seed 42. */
  fitContext?: Partial<FitContext>;
  /** Values parseParams must reject, per param; by default each param gets a value of the wrong type. */
  badValues?: Record<string, unknown[]>;
  /**
   * True for models that read a history row's order as the order of events (next-item models): the fold-in test then
   * gives each user's items in time order instead of by item index. Default false.
   */
  chronologicalRows?: boolean;
}

/**
 * Registers the vitest tests every model must pass: known answers on the checkerboard, exclude/candidates/k
 * semantics, artifact round-trip, param validation, cancellation, progress, and the optional capabilities it has.
 * Call it at the top level of a `<model>.test.ts` file.
 *
 * @example modelConformanceSuite(itemKnnDefinition, { neighbors: 20 })
 */
export function modelConformanceSuite<P extends object>(def: ModelDefinition<P>, params: Partial<P> = {}, options: ConformanceOptions = {}): void {
  const personalised = options.personalised ?? true;
  const fitContext = (extra: Partial<FitContext> = {}): FitContext => ({
    logger: silentLogger,
    clock: fixedClock(FIXTURE_EPOCH_MS + 400 * 86_400_000),
    seed: 42,
    ...options.fitContext,
    ...extra,
  });
  const create = (): Model<P> => def.create(def.parseParams(params as Record<string, unknown>));
  const fitted = async (board: Checkerboard): Promise<Model<P>> => {
    const model = create();
    await model.fit(board.data, fitContext());
    return model;
  };
  const consumed = (board: Checkerboard, user: number): Int32Array => board.data.matrix.rowIndices(user).slice();

  describe(`model conformance: ${def.name}`, () => {
    it('creates a model carrying its name and parsed params', () => {
      const model = create();
      expect(model.name).toBe(def.name);
      expect(model.params).toEqual(def.parseParams(params as Record<string, unknown>));
      expect(def.parseParams({})).toEqual(def.defaults);
    });

    it('rejects unknown params with INVALID_CONFIG naming the key', () => {
      expectInvalidConfig(() => def.parseParams({ noSuchParam: 1 }), 'noSuchParam');
    });

    it('rejects bad param values with INVALID_CONFIG naming the key', () => {
      for (const [key, value] of Object.entries(def.defaults as Record<string, unknown>)) {
        for (const bad of options.badValues?.[key] ?? wrongTypeValues(value)) {
          expectInvalidConfig(() => def.parseParams({ [key]: bad }), key);
        }
      }
    });

    it('throws NOT_TRAINED when asked to recommend before fit', () => {
      expect(() => create().recommend({ user: 0, k: 3 })).toThrow(expect.objectContaining({ code: 'NOT_TRAINED' }));
    });

    it(personalised ? 'ranks each checkerboard user\'s withheld item first' : 'gives every user the same list', async () => {
      const board = checkerboard();
      const model = await fitted(board);
      const nUsers = board.data.users.size;
      if (!personalised) {
        const first = model.recommend({ user: 0, k: 5 });
        expect(first.length).toBeGreaterThan(0);
        for (let u = 1; u < nUsers; u++) expect(model.recommend({ user: u, k: 5 })).toEqual(first);
        return;
      }
      for (let u = 0; u < nUsers; u++) {
        const top = model.recommend({ user: u, k: 3, exclude: consumed(board, u) });
        expect(top[0]?.index, `user ${u}`).toBe(board.withheld[u]);
      }
    });

    it('folds in a new user given as a history row (SparseRow)', async () => {
      const board = checkerboard();
      const model = await fitted(board);
      if (!personalised) {
        expect(model.recommend({ user: userRow(board.data, 4), k: 5 })).toEqual(model.recommend({ user: 4, k: 5 }));
        return;
      }
      for (let u = 0; u < board.data.users.size; u++) {
        const history = options.chronologicalRows ? chronologicalRow(board, u) : userRow(board.data, u);
        const top = model.recommend({ user: history, k: 3, exclude: consumed(board, u) });
        expect(top[0]?.index, `user ${u}`).toBe(board.withheld[u]);
      }
    });

    it('respects k and returns distinct in-range items sorted by descending score', async () => {
      const board = checkerboard();
      const model = await fitted(board);
      const nItems = board.data.items.size;
      for (const k of [1, 3, nItems + 5]) {
        for (const user of [0, 9, userRow(board.data, 17)]) {
          const list = model.recommend({ user, k });
          expect(list.length).toBeLessThanOrEqual(Math.min(k, nItems));
          expectWellFormed(list, nItems);
        }
      }
      expect(model.recommend({ user: 0, k: 0 })).toEqual([]);
    });

    it('returns only candidates, never excluded items, and scores every remaining candidate', async () => {
      const board = checkerboard();
      const model = await fitted(board);
      const nItems = board.data.items.size;
      for (let u = 0; u < board.data.users.size; u += 5) {
        const candidates = Int32Array.from({ length: nItems }, (_, i) => i).filter((i) => (i + u) % 3 !== 0);
        const exclude = Int32Array.from([candidates[0], candidates[2], (u + 3) % nItems]);
        const list = model.recommend({ user: u, k: nItems, candidates, exclude });
        const allowed = new Set([...candidates].filter((i) => !exclude.includes(i)));
        expectWellFormed(list, nItems);
        for (const s of list) expect(allowed.has(s.index), `item ${s.index}`).toBe(true);
        expect(list.length).toBe(allowed.size);
        expect(model.recommend({ user: u, k: 2, candidates, exclude }).length).toBeLessThanOrEqual(2);
      }
      const onlyExcluded = model.recommend({ user: 0, k: 5, candidates: Int32Array.of(1, 2), exclude: Int32Array.of(1, 2) });
      expect(onlyExcluded).toEqual([]);
    });

    it('survives save -> encode -> decode -> restore with identical recommendations', async () => {
      const board = checkerboard();
      const model = await fitted(board);
      const restored = def.restore(decodeArtifact(encodeArtifact(model.save())));
      expect(restored.name).toBe(def.name);
      expect(restored.params).toEqual(model.params);
      for (let u = 0; u < board.data.users.size; u++) {
        const a = model.recommend({ user: u, k: 10 });
        const b = restored.recommend({ user: u, k: 10 });
        expect(b.map((s) => s.index)).toEqual(a.map((s) => s.index));
        b.forEach((s, j) => expect(s.score).toBeCloseTo(a[j].score, 5));
      }
      if (hasSimilarItems(model) && hasSimilarItems(restored)) expect(restored.similarItems(0, 5)).toEqual(model.similarItems(0, 5));
    });

    it('is deterministic for a fixed seed', async () => {
      const board = checkerboard();
      const [a, b] = [await fitted(board), await fitted(board)];
      for (let u = 0; u < board.data.users.size; u += 4) expect(b.recommend({ user: u, k: 8 })).toEqual(a.recommend({ user: u, k: 8 }));
    });

    it('rejects with CANCELLED when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const model = create();
      await expect(model.fit(checkerboard().data, fitContext({ signal: controller.signal }))).rejects.toSatisfy(
        (e: unknown) => isEngineError(e) && e.code === 'CANCELLED',
      );
    });

    it('reports progress that ends at done === total', async () => {
      const calls: Array<[number, number]> = [];
      const report = await create().fit(checkerboard().data, fitContext({ onProgress: (d, t) => calls.push([d, t]) }));
      expect(report.seconds).toBeGreaterThanOrEqual(0);
      expect(calls.length).toBeGreaterThan(0);
      for (let j = 1; j < calls.length; j++) expect(calls[j][0]).toBeGreaterThanOrEqual(calls[j - 1][0]);
      const [done, total] = calls[calls.length - 1];
      expect(done).toBe(total);
    });

    const differentiallyPrivate = (create().params as { dpEpsilon?: number }).dpEpsilon !== undefined;
    if (hasUnlearn(create()) && differentiallyPrivate) {
      it('answers retrain when asked to forget a user (Unlearn): an exact update would break the DP noise accounting', async () => {
        const board = checkerboard();
        const model = await fitted(board);
        if (!hasUnlearn(model)) throw new Error('Unlearn lost after fit');
        const outcome = await model.forgetUser({ user: 1, row: userRow(board.data, 1) });
        expect('retrain' in outcome && outcome.retrain).toMatch(/noise accounting/);
      });
    }
    if (hasUnlearn(create()) && !differentiallyPrivate) {
      it('forgets a user exactly (Unlearn): every other user\'s list equals a refit without them', async () => {
        const board = checkerboard();
        const model = await fitted(board);
        if (!hasUnlearn(model)) throw new Error('Unlearn lost after fit');
        const user = 1;
        const { indptr } = board.data.matrix;
        const times = board.data.times?.slice(indptr[user], indptr[user + 1]);
        const outcome = await model.forgetUser({ user, row: userRow(board.data, user), ...(times ? { times } : {}) });
        if ('retrain' in outcome) throw new Error(`unexpected retrain: ${outcome.retrain}`);
        const reduced = withoutUser(board.data, user);
        const refit = create();
        await refit.fit(reduced, fitContext());
        for (let u = 0; u < reduced.users.size; u++) {
          const a = outcome.model.recommend({ user: u < user ? u : u + 1, k: 5 });
          const b = refit.recommend({ user: u, k: 5 });
          expect(a.map((s) => s.index), `user ${u}`).toEqual(b.map((s) => s.index));
          a.forEach((s, j) => expect(Math.abs(s.score - b[j].score)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(b[j].score))));
        }
      });
    }

    it('offers only capabilities that work (similar items, fold-in, explain)', async () => {
      const board = checkerboard();
      const model = await fitted(board);
      const nItems = board.data.items.size;
      if (hasSimilarItems(model)) {
        const similar = model.similarItems(0, 4);
        expectWellFormed(similar, nItems);
        expect(similar.length).toBeGreaterThan(0);
        expect(similar.length).toBeLessThanOrEqual(4);
        expect(similar.map((s) => s.index)).not.toContain(0);
        if (personalised) for (const s of similar) expect(board.blockOfItem[s.index]).toBe(board.blockOfItem[0]);
      }
      if (hasFoldIn(model)) {
        const vector = model.userVector(userRow(board.data, 3));
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector.length).toBeGreaterThan(0);
        expect(vector.every(Number.isFinite)).toBe(true);
      }
      if (hasExplainer(model) && personalised) {
        const history = new Set(consumed(board, 2));
        const why = model.explain(2, board.withheld[2]);
        expect(why.length).toBeGreaterThan(0);
        for (const c of why) expect(history.has(c.item), `item ${c.item}`).toBe(true);
        for (let j = 1; j < why.length; j++) expect(why[j].weight).toBeLessThanOrEqual(why[j - 1].weight);
      }
    });
  });
}

/** A user's training items ordered by time (the fixture's events have distinct times). */
function chronologicalRow(board: Checkerboard, user: number): SparseRow {
  const { matrix, times } = board.data;
  const start = matrix.indptr[user];
  const items = Array.from(matrix.rowIndices(user).keys()).sort((a, b) => (times?.[start + a] ?? a) - (times?.[start + b] ?? b));
  return { indices: Int32Array.from(items, (p) => matrix.indices[start + p]), values: Float32Array.from(items, (p) => matrix.data[start + p]) };
}

function expectWellFormed(list: Scored[], nItems: number): void {
  const seen = new Set<number>();
  for (let j = 0; j < list.length; j++) {
    const { index, score } = list[j];
    expect(Number.isInteger(index) && index >= 0 && index < nItems, `index ${index}`).toBe(true);
    expect(Number.isFinite(score), `score of ${index}`).toBe(true);
    expect(seen.has(index), `duplicate ${index}`).toBe(false);
    seen.add(index);
    if (j > 0) expect(score).toBeLessThanOrEqual(list[j - 1].score);
  }
}

function expectInvalidConfig(fn: () => unknown, key: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(isEngineError(error), `expected EngineError for ${key}`).toBe(true);
  if (!isEngineError(error)) return;
  expect(error.code).toBe('INVALID_CONFIG');
  expect(`${error.details.path ?? ''} ${error.message}`).toContain(key);
}

function wrongTypeValues(value: unknown): unknown[] {
  if (typeof value === 'number') return ['abc', Number.NaN, null];
  if (typeof value === 'boolean') return ['abc', 1];
  if (typeof value === 'string') return [42, '__not-a-valid-choice__'];
  return [];
}
