import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The one setting that locates public datasets: KINDRED_DATA_DIR, default ../shared/data (from the repo root). */
export function dataDir(): string {
  return resolve(process.env.KINDRED_DATA_DIR ?? resolve(process.cwd(), '..', 'shared', 'data'));
}

/** Path of a dataset folder (e.g. 'ml-100k'), or undefined when it is not on this machine. */
export function datasetPath(name: string): string | undefined {
  const p = resolve(dataDir(), name);
  return existsSync(p) ? p : undefined;
}

/**
 * For tests: the dataset path, or `undefined` with a printed reason so the caller can skip.
 * With CI=true a missing dataset throws: CI must never silently skip data-driven tests.
 *
 * @example const ml = testDataset('ml-100k'); it.skipIf(!ml)('beats popularity', ...)
 */
export function testDataset(name: string): string | undefined {
  const p = datasetPath(name);
  if (p) return p;
  const msg = `dataset ${name} not found under ${dataDir()} (set KINDRED_DATA_DIR)`;
  if (process.env.CI === 'true') throw new Error(`${msg}; CI requires it`);
  console.warn(`skipping: ${msg}`);
  return undefined;
}
