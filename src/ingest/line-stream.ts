/** Streams a text file as batches of lines with their line numbers, never holding more than a chunk in memory. */
import { createReadStream } from 'node:fs';
import { throwIfCancelled, type ReadContext } from './source.js';

export interface LineBatch {
  lines: string[];
  /** One-based number of lines[0]. */
  firstLine: number;
}

/**
 * Reads `path` chunk by chunk (64 KiB) and yields the complete lines of each chunk; a trailing "\r" is removed.
 * Empty lines are kept so numbering stays right; callers skip them.
 *
 * @example for await (const { lines, firstLine } of readLineBatches('u.data', 'utf8', ctx)) ...
 */
export async function* readLineBatches(path: string, encoding: BufferEncoding, ctx: ReadContext): AsyncIterable<LineBatch> {
  const stream = createReadStream(path, { encoding, highWaterMark: 64 * 1024 });
  let carry = '';
  let nextLine = 1;
  let bytesSeen = 0;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      throwIfCancelled(ctx.signal);
      ctx.onBytes(stream.bytesRead - bytesSeen);
      bytesSeen = stream.bytesRead;
      const parts = (carry + chunk).split('\n');
      carry = parts.pop() ?? '';
      if (parts.length === 0) continue;
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i];
        if (p.endsWith('\r')) parts[i] = p.slice(0, -1);
      }
      yield { lines: parts, firstLine: nextLine };
      nextLine += parts.length;
    }
    if (carry.endsWith('\r')) carry = carry.slice(0, -1);
    if (carry !== '') yield { lines: [carry], firstLine: nextLine };
  } finally {
    stream.destroy();
  }
}
