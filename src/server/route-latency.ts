/**
 * Serving latency of this process per route pattern (never the URL: URLs hold user ids), over a rolling window of
 * the last LATENCY_WINDOW answers of each route: GET /v1/stats/serving.
 */
import type { FastifyInstance } from 'fastify';
import { percentile } from '../stats/percentile.js';
import { routePattern } from './request-log.js';

/** Answers kept per route. */
export const LATENCY_WINDOW = 10_000;

export interface RouteLatencyReport {
  method: string;
  /** The route pattern, e.g. `/v1/users/:id/recommendations`. */
  route: string;
  /** Answers in the window (the route's last LATENCY_WINDOW). */
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Answers in the window with a 5xx status. */
  errors: number;
  /** Answers in the window with a 4xx status (bad input, unknown ids, refused keys). */
  clientErrors: number;
  /** Answers since the server started, beyond the window too. */
  total: number;
}

/** One route's ring of recent answers. */
class RouteWindow {
  readonly ms = new Float64Array(LATENCY_WINDOW);
  readonly status = new Uint16Array(LATENCY_WINDOW);
  total = 0;

  add(ms: number, status: number): void {
    const at = this.total % LATENCY_WINDOW;
    this.ms[at] = ms;
    this.status[at] = status;
    this.total++;
  }

  get count(): number {
    return Math.min(this.total, LATENCY_WINDOW);
  }
}

/** Answer times per route; `since` is when recording started (the server's start). */
export class RouteLatency {
  private readonly routes = new Map<string, RouteWindow>();

  constructor(readonly since: string) {}

  record(method: string, route: string, ms: number, status: number): void {
    const key = `${method} ${route}`;
    let window = this.routes.get(key);
    if (!window) this.routes.set(key, (window = new RouteWindow()));
    window.add(ms, status);
  }

  /** Every route answered so far, by route then method. */
  report(): RouteLatencyReport[] {
    return [...this.routes.entries()]
      .map(([key, w]) => {
        const space = key.indexOf(' ');
        const ms = Array.from(w.ms.subarray(0, w.count));
        const statuses = w.status.subarray(0, w.count);
        return {
          method: key.slice(0, space),
          route: key.slice(space + 1),
          count: w.count,
          p50Ms: percentile(ms, 0.5),
          p95Ms: percentile(ms, 0.95),
          p99Ms: percentile(ms, 0.99),
          errors: statuses.filter((s) => s >= 500).length,
          clientErrors: statuses.filter((s) => s >= 400 && s < 500).length,
          total: w.total,
        };
      })
      .sort((a, b) => (a.route < b.route ? -1 : a.route > b.route ? 1 : a.method < b.method ? -1 : a.method > b.method ? 1 : 0));
  }
}

/**
 * Records every answered request's time under its route pattern (requests matching no route are left out).
 *
 * @example const latency = recordRouteLatency(app, new Date().toISOString()); latency.report()
 */
export function recordRouteLatency(app: FastifyInstance, since: string): RouteLatency {
  const latency = new RouteLatency(since);
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url === undefined) return;
    latency.record(request.method, routePattern(request), reply.elapsedTime, reply.statusCode);
  });
  return latency;
}
