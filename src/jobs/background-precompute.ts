import type { Logger } from '../core/logger.js';
import type { PrecomputeReport } from './materializer.js';

/**
 * Runs at most one background precompute pass at a time: a new model version cancels the pass for the old one (its
 * lists would be stale at once) and starts its own; `stop` cancels and waits, so closing never races a cache write.
 */
export class BackgroundPrecompute {
  private running?: { controller: AbortController; done: Promise<void> };

  constructor(private readonly logger: Logger) {}

  /** Cancels the pass in progress, if any, and starts `pass` in the background; failures are logged, not thrown. */
  start(pass: (signal: AbortSignal) => Promise<PrecomputeReport>): void {
    const previous = this.running;
    const controller = new AbortController();
    previous?.controller.abort();
    const done = (async () => {
      await previous?.done;
      if (controller.signal.aborted) return;
      try {
        const report = await pass(controller.signal);
        this.logger.info('precomputed lists', { ...report });
      } catch (err) {
        if (!controller.signal.aborted) this.logger.warn('precomputing lists failed', { reason: err instanceof Error ? err.message : String(err) });
      }
    })();
    this.running = { controller, done };
  }

  async stop(): Promise<void> {
    this.running?.controller.abort();
    await this.running?.done;
    this.running = undefined;
  }
}
