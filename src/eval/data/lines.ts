import { createReadStream } from 'node:fs';

/**
 * Calls `onLine` for every non-empty line of a text file, streaming in chunks (no whole-file string, so large
 * MovieLens files stay within memory). Handles \n and \r\n endings; `onLine` gets a 1-based line number.
 *
 * @example await forEachLine('u.data', 'utf8', (line) => rows.push(line.split('\t')))
 */
export async function forEachLine(path: string, encoding: BufferEncoding, onLine: (line: string, lineNo: number) => void): Promise<void> {
  let rest = '';
  let lineNo = 0;
  const emit = (line: string): void => {
    lineNo++;
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (clean.length > 0) onLine(clean, lineNo);
  };
  for await (const chunk of createReadStream(path, { encoding, highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      emit(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) emit(rest);
}

/**
 * Converts a time cell to unix seconds: numbers above 1e11 are read as milliseconds, other numbers as seconds,
 * anything else as an ISO-8601 / RFC 2822 date. Returns NaN when unreadable.
 *
 * @example parseTimeCell('964982703') // 964982703
 */
export function parseTimeCell(cell: string): number {
  const trimmed = cell.trim();
  if (trimmed === '') return NaN;
  const num = Number(trimmed);
  if (Number.isFinite(num)) return num > 1e11 ? num / 1000 : num;
  return Date.parse(trimmed) / 1000;
}
