/** Injected time source so tests control "now" (never read Date.now() inside models or stages). */
export interface Clock { now(): number }

export const systemClock: Clock = { now: () => Date.now() };

export function fixedClock(ms: number): Clock & { advance(byMs: number): void; set(ms: number): void } {
  let t = ms;
  return { now: () => t, advance: (by) => { t += by; }, set: (v) => { t = v; } };
}
