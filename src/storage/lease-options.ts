import { EngineError } from '../core/errors.js';

/** Longest lease a holder may ask for: a crashed holder's lease must run out within a day. */
const MAX_LEASE_MS = 86_400_000;

/**
 * Checked `tryLease` / `releaseLease` arguments (shared by every adapter): a name and holder of 1–200 characters and
 * a whole number of milliseconds from 1 to a day.
 */
export function leaseOptions(name: unknown, holder: unknown, ttlMs?: unknown): { name: string; holder: string; ttlMs: number } {
  for (const [path, v] of [['/name', name], ['/holder', holder]] as const) {
    if (typeof v !== 'string' || v.length === 0 || v.length > 200) throw new EngineError('INVALID_INPUT', `lease ${path.slice(1)} must be a string of 1 to 200 characters`, { path });
  }
  const ms = ttlMs ?? 1;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1 || ms > MAX_LEASE_MS) {
    throw new EngineError('INVALID_INPUT', `lease ttlMs must be a whole number of milliseconds from 1 to ${MAX_LEASE_MS}`, { path: '/ttlMs' });
  }
  return { name: name as string, holder: holder as string, ttlMs: ms };
}
