/**
 * One Transformer training run on (a subset of) the synthetic ML-1M-sized log, with the model's defaults: CPU-seconds
 * of the whole process (every thread) and wall seconds per epoch, the epochs' losses and a checksum of the trained
 * weights (to compare two builds: they should differ by float rounding only). Small and standalone so it can be
 * profiled (`node --cpu-prof --import tsx ...`) and run alternately against another checkout.
 *
 * Usage: npx tsx bench/transformer-epoch.ts [--every 4] [--epochs 1] [--threads 1]
 *   --every n keeps every n-th user of the 6,040 (n = 4: 1,510 users, ~250k events; n = 1: the whole log).
 */
import { syntheticInteractions } from './ease.bench.js';
import { mulberry32 } from '../src/models/linalg/random.js';
import { sequencesOf } from '../src/models/sequential/transitions.js';
import { initialParameters, type NetworkShape } from '../src/models/transformer/parameters.js';
import { trainNetwork } from '../src/models/transformer/train.js';
import { masksSeen, transformerDefinition } from '../src/models/transformer/transformer.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const every = option('every', 4);
const epochs = option('epochs', 1);
const threads = option('threads', 1);
const p = transformerDefinition.defaults;
const data = syntheticInteractions(6040, 3706, 1_000_000);
const sequences = sequencesOf(data).filter((_, u) => u % every === 0);
const shape: NetworkShape = { items: data.matrix.cols, width: p.width, heads: p.heads, blocks: p.blocks, maxLength: p.maxLength, hidden: p.width };
const weights = initialParameters(shape, mulberry32(1));
const control = { check: (): void => {}, step: (): Promise<void> => Promise.resolve(), report: (): Promise<void> => Promise.resolve(), finish: (): void => {} };
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
const report = await trainNetwork(weights, shape, sequences, {
  epochs, batchSize: p.batchSize, learningRate: p.learningRate, weightDecay: p.weightDecay, dropout: p.dropout, negatives: p.negatives,
  targetWindow: p.targetWindow, targetDecay: p.targetDecay, seed: 1, threads, maskSeen: masksSeen(p, sequences),
}, control);
const cpu = process.cpuUsage(cpu0);
const wall = (performance.now() - wall0) / 1000;
let checksum = 0;
for (let i = 0; i < weights.flat.length; i++) checksum += Math.abs(weights.flat[i]);
console.log(JSON.stringify({
  users: sequences.length, tokensPerEpoch: report.tokensPerEpoch, epochs, threads,
  cpuSecondsPerEpoch: (cpu.user + cpu.system) / 1e6 / epochs, wallSecondsPerEpoch: wall / epochs, losses: report.losses, weightAbsSum: checksum,
}));
