/** Rate limit settings: `perSecond` tokens refill per second up to `burst`; perSecond 0 turns limiting off. */
export interface RateLimitSettings {
  perSecond: number;
  burst: number;
}

/** The outcome of one request against its bucket: allowed, or refused with the whole seconds to wait (≥ 1). */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before idle (full) ones are swept, so per-address buckets cannot grow without bound. */
const SWEEP_AT = 10_000;

/**
 * An in-process token bucket per caller (an API key, or a client address without one). Hand-written rather than
 * @fastify/rate-limit: no new dependency at this point, and the limit has to be keyed by the caller that auth
 * resolved, which runs in our own hook. Each server process counts on its own (N processes allow N × the rate).
 *
 * @example const limiter = createRateLimiter({ perSecond: 10, burst: 20 }); limiter.take('key:0')
 */
export function createRateLimiter(settings: RateLimitSettings, now: () => number = Date.now) {
  const buckets = new Map<string, Bucket>();
  const refill = (b: Bucket, t: number) => Math.min(settings.burst, b.tokens + ((t - b.at) / 1000) * settings.perSecond);
  const sweep = (t: number) => {
    for (const [id, b] of buckets) if (refill(b, t) >= settings.burst) buckets.delete(id);
  };
  return {
    /** Takes one token from the caller's bucket. */
    take(caller: string): RateDecision {
      if (settings.perSecond <= 0) return { allowed: true };
      const t = now();
      const bucket = buckets.get(caller);
      const tokens = bucket ? refill(bucket, t) : settings.burst;
      if (tokens >= 1) {
        if (!bucket && buckets.size >= SWEEP_AT) sweep(t);
        buckets.set(caller, { tokens: tokens - 1, at: t });
        return { allowed: true };
      }
      buckets.set(caller, { tokens, at: t });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / settings.perSecond)) };
    },
    /** Buckets held now (for tests of the sweep). */
    size: () => buckets.size,
  };
}
