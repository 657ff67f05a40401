/**
 * Writes a synthetic log as the generic CSV import layout (items.csv, events.csv in one folder), streaming, so
 * `kindred import --format csv <folder>` and the import benchmarks read the same data the model benchmarks build.
 *
 * `npx tsx bench/synthetic/write-csv.ts <ml1m|items100k|ml20m> <folder>` writes one of the named sizes.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forEachSyntheticEvent, SYNTHETIC_SIZES, type SyntheticLogSpec, type SyntheticSize } from './log.js';

/** Buffers lines and writes them in chunks of about 1 MiB. */
class ChunkedFile {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  line(text: string): void {
    this.parts.push(text);
    this.size += text.length + 1;
    if (this.size > 1 << 20) this.flush();
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
  private flush(): void {
    if (this.parts.length > 0) writeSync(this.fd, this.parts.join('\n') + '\n');
    this.parts = [];
    this.size = 0;
  }
}

/**
 * Writes `<dir>/items.csv` (id, title, category = the item's number bucket) and `<dir>/events.csv` (one `view` per
 * event, ISO timestamps); returns the event count.
 *
 * @example writeSyntheticCsv(SYNTHETIC_SIZES.ml1m, '/tmp/ml1m')
 */
export function writeSyntheticCsv(spec: SyntheticLogSpec, dir: string): number {
  mkdirSync(dir, { recursive: true });
  const items = new ChunkedFile(join(dir, 'items.csv'));
  items.line('id,title,category');
  for (let i = 0; i < spec.items; i++) items.line(`i${i},Item ${i},c${i % 50}`);
  items.close();
  const events = new ChunkedFile(join(dir, 'events.csv'));
  events.line('userId,itemId,type,timestamp');
  let count = 0;
  forEachSyntheticEvent(spec, (u, i, t) => {
    events.line(`u${u},i${i},view,${new Date(t).toISOString()}`);
    count++;
  });
  events.close();
  return count;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [size, dir] = process.argv.slice(2);
  if (!(size in SYNTHETIC_SIZES) || !dir) {
    console.error(`usage: write-csv.ts <${Object.keys(SYNTHETIC_SIZES).join('|')}> <folder>`);
    process.exit(2);
  }
  const n = writeSyntheticCsv(SYNTHETIC_SIZES[size as SyntheticSize], dir);
  console.log(`wrote ${n} events to ${dir}`);
}
