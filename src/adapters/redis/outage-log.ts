import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';

/** At most one warning per this many milliseconds while Redis keeps failing. */
export const OUTAGE_WARN_INTERVAL_MS = 30_000;

export type CacheOperation = 'connect' | 'get' | 'put' | 'invalidate' | 'sweep';

/**
 * Rate-limited logging of a cache that cannot reach Redis: every request would otherwise log its own failure. The
 * first failure warns at once, later ones at most every 30 s (with how many were not logged), and the first success
 * after an outage says so once. Fields carry the operation and the error's code, never the URL or a key (user ids).
 *
 * @example const outage = new OutageLog(logger, clock, 'redis://127.0.0.1:6379/0'); outage.failed('get', err);
 */
export class OutageLog {
  private lastWarnAt = -Infinity;
  private unlogged = 0;
  private down = false;

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    /** The server, without credentials (describeRedis). */
    private readonly server: string,
  ) {}

  failed(op: CacheOperation, err: unknown): void {
    this.down = true;
    const now = this.clock.now();
    if (now - this.lastWarnAt < OUTAGE_WARN_INTERVAL_MS) {
      this.unlogged++;
      return;
    }
    this.logger.warn('cache redis failed: serving without the cache (gets miss, puts are dropped)', {
      server: this.server, op, error: errorCode(err), unlogged: this.unlogged,
    });
    this.lastWarnAt = now;
    this.unlogged = 0;
  }

  succeeded(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.info('cache redis answers again', { server: this.server, unlogged: this.unlogged });
    this.unlogged = 0;
    this.lastWarnAt = -Infinity;
  }
}

/** A short code for the log: the socket's (ECONNREFUSED), Redis' first word (OOM, READONLY), or the error class. */
function errorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return typeof err;
  const { code, name, message } = err as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code)) return code;
  if (typeof message === 'string') {
    if (message.includes('enableOfflineQueue')) return 'NOT_CONNECTED';
    if (message.includes('timed out')) return 'TIMEOUT';
    const first = /^([A-Z]{2,20}) /.exec(message);
    if (first && name === 'ReplyError') return first[1];
  }
  return typeof name === 'string' ? name : 'Error';
}
