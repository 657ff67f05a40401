/**
 * The Transformer in the request path (issue 14: p99 under 5 ms per user at k = 10): the engine trains a bundle with
 * the transformer as its main model (TRANSFORMER_CHANNEL_EPOCHS, default 1: the cost of a forward pass does not depend
 * on how long the model trained) on each dataset's events without every user's latest one, then for every user builds
 * the request context as a request does and times the next-item channel at k = 10, and the profile's short-term
 * prediction (predictFromSequence, what a profile read asks the model), in CPU time of the process after 50 warm-up
 * users. `npm run bench -- transformer-channel` (ml-100k, then ml-latest-small when present).
 */
import { resolveConfig } from '../src/config/config.js';
import { fixedClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { importDataset } from '../src/ingest/importer.js';
import { predictFromSequence } from '../src/interests/sequence-interest.js';
import { trainBundle } from '../src/jobs/trainer.js';
import { buildRecommendContext } from '../src/pipeline/request-context.js';
import { nextItemChannel } from '../src/pipeline/stages/recall/next-item.js';
import { MemoryStore } from '../src/storage/memory/memory-store.js';
import { datasetPath } from '../src/testkit/datasets.js';
import { percentile, type BenchResult } from './harness.js';
import { holdOutLatest } from './recall-channels.bench.js';

const K = 10;
const WARM_UP = 50;
const DATASETS = [['ml-100k', 'movielens-100k'], ['ml-latest-small', 'movielens-latest']] as const;

function cpuMs<T>(fn: () => T): { value: T; ms: number } {
  const c0 = process.cpuUsage();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, ms: (c.user + c.system) / 1000 };
}

async function measure(name: string, format: string, path: string, epochs: number): Promise<BenchResult[]> {
  const full = new MemoryStore();
  await importDataset(full, { path, format, onError: 'skip' });
  const { store, heldOut } = await holdOutLatest(full);
  const config = resolveConfig({ store: { url: 'memory://' }, embeddings: { provider: 'none' } });
  const clock = fixedClock(Math.max(...[...heldOut.values()].map((e) => Date.parse(e.timestamp))));
  const { bundle } = await trainBundle(store, config, { model: 'transformer', params: { epochs } }, { logger: silentLogger, clock });
  const deps = { config, store, bundle, clock, logger: silentLogger, embeddings: async () => undefined, llmProvider: async () => undefined };
  const signal = new AbortController().signal;
  const channel: number[] = [];
  const profile: number[] = [];
  let n = 0;
  for (const userId of heldOut.keys()) {
    const ctx = await buildRecommendContext(userId, { count: K }, deps);
    if (!nextItemChannel.applies(ctx)) continue;
    // the channel's work is synchronous (one forward pass and a top-k): CPU time of the call is its cost
    const c0 = process.cpuUsage();
    await nextItemChannel.run({ k: K, signal }, ctx);
    const c = process.cpuUsage(c0);
    const history = await store.history(userId, { limit: config.interests.historyLimit });
    const predicted = cpuMs(() => predictFromSequence(bundle, history, config.events.types));
    if (n++ < WARM_UP) continue;
    channel.push((c.user + c.system) / 1000);
    profile.push(predicted.ms);
  }
  channel.sort((a, b) => a - b);
  profile.sort((a, b) => a - b);
  const extra = { users: channel.length, warmUp: WARM_UP, k: K, epochs };
  return [
    { name: 'transformer.next-item-channel', dataset: name, metric: 'p50 cpu ms', value: percentile(channel, 50), unit: 'ms', extra: { ...extra, p99: percentile(channel, 99), max: channel[channel.length - 1] } },
    { name: 'transformer.next-item-channel', dataset: name, metric: 'p99 cpu ms', value: percentile(channel, 99), unit: 'ms', extra },
    { name: 'transformer.profile-short-term', dataset: name, metric: 'p50 cpu ms', value: percentile(profile, 50), unit: 'ms', extra: { ...extra, p99: percentile(profile, 99) } },
    { name: 'transformer.profile-short-term', dataset: name, metric: 'p99 cpu ms', value: percentile(profile, 99), unit: 'ms', extra },
  ];
}

export async function run(): Promise<BenchResult[]> {
  const epochs = Number(process.env.TRANSFORMER_CHANNEL_EPOCHS ?? 1);
  const results: BenchResult[] = [];
  for (const [name, format] of DATASETS) {
    const path = datasetPath(name);
    if (!path) {
      console.warn(`skipping transformer-channel on ${name}: not found (KINDRED_DATA_DIR)`);
      continue;
    }
    results.push(...(await measure(name, format, path, epochs)));
  }
  return results;
}
