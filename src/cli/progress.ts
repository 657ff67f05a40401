/**
 * Progress for long CLI commands (import, train): a cli-progress bar on stderr when stderr is a terminal; otherwise
 * (pipes, CI logs) one plain line per 10% so logs stay short. stdout is never touched: it carries command output.
 */
import cliProgress from 'cli-progress';

/** The part of a stream the progress display writes to (process.stderr, or a fake in tests). */
export interface ProgressStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
}

export interface Progress {
  /** Work done so far out of total (any unit: bytes, epochs...). */
  update(done: number, total: number): void;
  /** Ends the display; safe to call more than once. */
  stop(): void;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  /** Show done/total as MiB (for byte counts). */
  bytes?: boolean;
}

const STEP_PERCENT = 10;

function amount(n: number, bytes: boolean): string {
  return bytes ? `${(n / 2 ** 20).toFixed(1)} MiB` : String(Math.round(n));
}

/**
 * A progress display labelled `label`.
 *
 * @example const p = createProgress('importing', { bytes: true }); p.update(512, 2048); p.stop();
 */
export function createProgress(label: string, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const bytes = opts.bytes ?? false;
  return stream.isTTY ? terminalBar(label, stream, bytes) : plainLines(label, stream, bytes);
}

function terminalBar(label: string, stream: ProgressStream, bytes: boolean): Progress {
  let bar: cliProgress.SingleBar | undefined;
  let stopped = false;
  return {
    update(done, total) {
      if (stopped) return;
      const payload = { shown: `${amount(done, bytes)}/${amount(total, bytes)}` };
      if (!bar) {
        bar = new cliProgress.SingleBar({
          stream: stream as unknown as NodeJS.WritableStream,
          format: `${label} [{bar}] {percentage}% | {shown} | eta {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: false,
        }, cliProgress.Presets.shades_classic);
        bar.start(total, done, payload);
        return;
      }
      bar.setTotal(total);
      bar.update(done, payload);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar?.stop();
    },
  };
}

function plainLines(label: string, stream: ProgressStream, bytes: boolean): Progress {
  let lastStep = -1;
  let stopped = false;
  return {
    update(done, total) {
      if (stopped || !(total > 0)) return;
      const percent = Math.min(100, Math.floor((done / total) * 100));
      const step = Math.floor(percent / STEP_PERCENT);
      if (step <= lastStep) return;
      lastStep = step;
      stream.write(`${label}: ${step * STEP_PERCENT}% (${amount(done, bytes)} of ${amount(total, bytes)})\n`);
    },
    stop() {
      stopped = true;
    },
  };
}
