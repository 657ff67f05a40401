import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { InnerProductIndex } from '../models/inner-product-index.js';
import { hasApproximateServing, type ApproximateServing, type Model } from '../models/model.js';
import type { ModelBundle } from '../models/model-bundle.js';

export interface ServingIndexOptions {
  /** Factor models with fewer items are scored exactly (config models.annMinItems; 0 = never index). */
  minItems: number;
  /** Search beam width (config models.annEfSearch). */
  efSearch: number;
  logger: Logger;
}

type IndexedModel = Model<object> & ApproximateServing;

/** The bundle's factor models big enough to serve through an index: the main model and extra recall channels. */
function modelsToIndex(bundle: ModelBundle, minItems: number): IndexedModel[] {
  if (minItems <= 0) return [];
  const out: IndexedModel[] = [];
  for (const model of [bundle.models.main, ...Object.values(bundle.channels ?? {})]) {
    if (hasApproximateServing(model) && !out.includes(model) && model.itemFactorTable().items >= minItems) out.push(model);
  }
  return out;
}

/**
 * Approximate recall for the factor models of each bundle that starts serving: builds an InnerProductIndex over each
 * one's item factors in the background (slices of ~10 ms between requests, so serving never stalls on it; the model
 * scores exactly until its index is attached), one bundle at a time; a newer bundle cancels the build for the older.
 * The index is rebuilt on every load rather than stored with the version: it costs CPU seconds once per load
 * (docs/serving.md), where storing it would add tens of MB to every stored version.
 *
 * @example const indexes = createServingIndexes({ minItems: 20000, efSearch: 100, logger }); indexes.onServe(bundle)
 */
export function createServingIndexes(opts: ServingIndexOptions) {
  let running: { controller: AbortController; done: Promise<void> } | undefined;

  async function indexBundle(bundle: ModelBundle, signal: AbortSignal): Promise<void> {
    for (const model of modelsToIndex(bundle, opts.minItems)) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const index = await InnerProductIndex.buildInBackground(model.itemFactorTable(), { efSearch: opts.efSearch }, { signal });
      if (!index) return;
      model.serveThrough(index);
      const used = process.cpuUsage(cpu);
      opts.logger.info('serving index built', {
        version: bundle.version,
        model: model.name,
        items: index.items,
        seconds: Math.round(performance.now() - started) / 1000,
        cpuSeconds: Math.round((used.user + used.system) / 1e3) / 1e3,
        approximateMb: Math.round(index.approximateBytes / 2 ** 20),
      });
    }
  }

  function onServe(bundle: ModelBundle): void {
    if (modelsToIndex(bundle, opts.minItems).length === 0) return;
    const previous = running;
    previous?.controller.abort();
    const controller = new AbortController();
    const done = (async () => {
      await previous?.done;
      try {
        await indexBundle(bundle, controller.signal);
      } catch (err) {
        // exact scoring keeps answering: a missing index costs latency, not answers
        opts.logger.warn('building the serving index failed', { version: bundle.version, reason: errorMessage(err) });
      }
    })();
    running = { controller, done };
  }

  /** Cancels a build in progress and waits for it to stop. */
  async function stop(): Promise<void> {
    running?.controller.abort();
    await running?.done;
    running = undefined;
  }

  /** Resolves when the build in progress, if there is one, has finished: for tests and benchmarks. */
  async function settled(): Promise<void> {
    await running?.done;
  }

  return { onServe, stop, settled };
}
