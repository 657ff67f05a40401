import { describe, expect, it } from 'vitest';
import { createProgress, type ProgressStream } from './progress.js';

function fakeStream(isTTY: boolean): ProgressStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY, write: (c: string) => { chunks.push(c); return true; }, text: () => chunks.join('') };
}

describe('createProgress', () => {
  it('prints one plain line per 10% when the stream is not a terminal', () => {
    const stream = fakeStream(false);
    const p = createProgress('importing', { stream });
    for (let done = 0; done <= 1000; done += 50) p.update(done, 1000);
    p.stop();
    p.stop();
    const lines = stream.text().trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('importing: 0% (0 of 1000)');
    expect(lines[3]).toBe('importing: 30% (300 of 1000)');
    expect(lines[10]).toBe('importing: 100% (1000 of 1000)');
  });

  it('shows byte counts in MiB and ignores an unknown total', () => {
    const stream = fakeStream(false);
    const p = createProgress('importing', { stream, bytes: true });
    p.update(5, 0);
    p.update(2 ** 20, 2 ** 22);
    expect(stream.text()).toBe('importing: 20% (1.0 MiB of 4.0 MiB)\n');
  });

  it('draws a bar with escape codes on a terminal, and nothing after stop', () => {
    const stream = fakeStream(true);
    const p = createProgress('training', { stream });
    p.update(3, 10);
    p.stop();
    const drawn = stream.text();
    expect(drawn).toContain('training [');
    expect(drawn).toContain('30%');
    expect(drawn).toContain('\x1B[');
    p.update(9, 10);
    expect(stream.text()).toBe(drawn);
  });
});
