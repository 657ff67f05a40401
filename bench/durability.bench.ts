/**
 * What `store.durability` costs: API-sized addEvents batches (1, 10 and 100 events) against a sqlite:// file with
 * synchronous=FULL and NORMAL, alternating in rounds within one run so that both see the same machine load. Also
 * how long an import's publish holds the write lock (300,000 events staged, then committed in one transaction): the
 * time API writes wait (asynchronously) during an import.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type Durability } from '../src/adapters/sqlite/index.js';
import type { Event } from '../src/core/types.js';
import { percentile, timeIt, type BenchResult } from './harness.js';

const DATASET = 'synthetic';
const BATCHES = [1, 10, 100] as const;
const MODES: readonly Durability[] = ['full', 'normal'];
const ROUNDS = 3;
/** Batches written per (round, mode, size): about a second of work at full durability. */
const WRITES_PER_ROUND = 150;
const IMPORT_EVENTS = 300_000;

let seq = 0;
function batch(size: number): Event[] {
  return Array.from({ length: size }, () => {
    const n = seq++;
    return { id: `e${n}`, userId: `u${n % 5000}`, itemId: `i${(n * 7919) % 20000}`, type: 'view', timestamp: new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString() };
  });
}

async function writeRound(dir: string, mode: Durability, size: number, latencies: number[]): Promise<number> {
  const store = openSqliteStore(`sqlite://${join(dir, `${mode}.db`)}`, { durability: mode });
  await store.migrate();
  try {
    const batches = Array.from({ length: WRITES_PER_ROUND }, () => batch(size));
    const { seconds } = await timeIt(async () => {
      for (const b of batches) {
        const t0 = process.hrtime.bigint();
        await store.addEvents(b);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    });
    return (WRITES_PER_ROUND * size) / seconds;
  } finally {
    await store.close();
  }
}

async function publishTime(dir: string): Promise<BenchResult> {
  const store = openSqliteStore(`sqlite://${join(dir, 'import.db')}`);
  await store.migrate();
  try {
    const w = await store.bulk();
    const staged = await timeIt(async () => {
      for (let i = 0; i < IMPORT_EVENTS; i += 5000) await w.addEvents(batch(5000));
    });
    const published = await timeIt(() => w.commit());
    return {
      name: 'store.sqlite.import-publish', dataset: DATASET, metric: 'lock_held_s', value: published.seconds, unit: 's',
      extra: { events: IMPORT_EVENTS, stagingSeconds: staged.seconds },
    };
  } finally {
    await store.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kindred-durability-bench-'));
  try {
    const out: BenchResult[] = [];
    for (const size of BATCHES) {
      const rates: Record<Durability, number[]> = { full: [], normal: [] };
      const latencies: Record<Durability, number[]> = { full: [], normal: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) rates[mode].push(await writeRound(dir, mode, size, latencies[mode]));
      }
      for (const mode of MODES) {
        const sorted = latencies[mode].sort((a, b) => a - b);
        const median = [...rates[mode]].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
        const extra = { batch: size, rounds: ROUNDS, writesPerRound: WRITES_PER_ROUND, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
        out.push({ name: `store.sqlite.${mode}.addEvents-batch-${size}`, dataset: DATASET, metric: 'events_per_s', value: median, unit: 'events/s', extra });
      }
    }
    out.push(await publishTime(dir));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
