import { describe, expect, it } from 'vitest';
import { EngineError } from '../../core/errors.js';
import { federatedPrivacy } from './accounting.js';
import { FederatedAlsServer, type FederatedServerOptions } from './federated-server.js';

const options = (extra: Partial<FederatedServerOptions> = {}): FederatedServerOptions => ({
  items: ['a', 'b'], factors: 1, regularization: 0.1, alpha: 1, optimizer: 'sgd', learningRate: 0.5, clientFraction: 1, noiseMultiplier: 0, seed: 3, ...extra,
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof EngineError ? e.code : 'not an EngineError';
  }
  return undefined;
}

describe('federated server: aggregation', () => {
  it('publishes its item factors padded to a stride of 8, with their Gram matrix', () => {
    const server = new FederatedAlsServer(options());
    const m = server.roundModel();
    expect(m.round).toBe(0);
    expect(m.stride).toBe(8);
    const [y0, y1] = [m.itemFactors[0], m.itemFactors[8]];
    expect(y0).toBeGreaterThanOrEqual(0);
    expect(y0).toBeLessThan(0.01);
    expect(m.itemFactors[1]).toBe(0);
    expect(m.itemGram[0]).toBeCloseTo(y0 * y0 + y1 * y1, 9);
  });

  it('SGD: averages hand-made updates, adds 2λy and steps by the learning rate', () => {
    const server = new FederatedAlsServer(options());
    const y = server.roundModel().itemFactors.slice();
    // mean of (1, 2) and (3, −2) is (2, 0); step: y − 0.5 · (mean + 2 · 0.1 · y)
    const report = server.applyRound([{ round: 0, gradient: Float32Array.of(1, 2) }, { round: 0, gradient: Float32Array.of(3, -2) }]);
    expect(report).toMatchObject({ round: 0, clients: 2, meanUpdateNorm: 2 });
    const after = server.roundModel();
    expect(after.round).toBe(1);
    expect(after.itemFactors[0]).toBeCloseTo(y[0] - 0.5 * (2 + 0.2 * y[0]), 6);
    expect(after.itemFactors[8]).toBeCloseTo(y[8] - 0.5 * (0 + 0.2 * y[8]), 6);
    // the Gram matrix follows the new factors
    expect(after.itemGram[0]).toBeCloseTo(after.itemFactors[0] ** 2 + after.itemFactors[8] ** 2, 5);
  });

  it('Adam: the first step moves each coordinate by the learning rate against its gradient\'s sign', () => {
    const server = new FederatedAlsServer(options({ optimizer: 'adam', learningRate: 0.01 }));
    const y = server.roundModel().itemFactors.slice();
    server.applyRound([{ round: 0, gradient: Float32Array.of(5, -3) }]);
    // bias-corrected first moment / √second moment = g / |g| on step one
    expect(server.itemFactors[0]).toBeCloseTo(y[0] - 0.01, 6);
    expect(server.itemFactors[8]).toBeCloseTo(y[8] + 0.01, 6);
  });

  it('refuses late, malformed and empty rounds', () => {
    const server = new FederatedAlsServer(options());
    expect(codeOf(() => server.applyRound([{ round: 1, gradient: Float32Array.of(0, 0) }]))).toBe('CONFLICT');
    expect(codeOf(() => server.applyRound([{ round: 0, gradient: Float32Array.of(0, 0, 0) }]))).toBe('INVALID_INPUT');
    expect(codeOf(() => server.applyRound([{ round: 0, gradient: Float32Array.of(Number.NaN, 0) }]))).toBe('INVALID_INPUT');
    expect(codeOf(() => server.applyRound([]))).toBe('INVALID_INPUT');
    expect(server.round).toBe(0);
    server.applyRound([{ round: 0, gradient: Float32Array.of(0, 0) }]);
    expect(codeOf(() => server.applyRound([{ round: 0, gradient: Float32Array.of(0, 0) }]))).toBe('CONFLICT');
    expect(codeOf(() => new FederatedAlsServer(options({ noiseMultiplier: 1 })))).toBe('INVALID_INPUT');
    expect(codeOf(() => new FederatedAlsServer(options({ clientFraction: 0 })))).toBe('INVALID_INPUT');
  });
});

describe('federated server: client sampling', () => {
  it('asks round(fraction · population) distinct clients, the same for a seed and round, others next round', () => {
    const a = new FederatedAlsServer(options({ clientFraction: 0.1 }));
    const b = new FederatedAlsServer(options({ clientFraction: 0.1 }));
    const first = a.sampleClients(1000);
    expect(first.length).toBe(100);
    expect(new Set(first).size).toBe(100);
    expect([...first]).toEqual([...first].sort((x, y) => x - y));
    expect(first.every((c) => c >= 0 && c < 1000)).toBe(true);
    expect(b.sampleClients(1000)).toEqual(first);
    a.applyRound([{ round: 0, gradient: Float32Array.of(0, 0) }]);
    const second = a.sampleClients(1000);
    expect(second).not.toEqual(first);
    expect(new FederatedAlsServer(options({ clientFraction: 0.1, seed: 4 })).sampleClients(1000)).not.toEqual(first);
    expect(new FederatedAlsServer(options({ clientFraction: 0.001 })).sampleClients(10).length).toBe(1);
  });

  it('over many rounds every client is asked about fraction · rounds times', () => {
    const server = new FederatedAlsServer(options({ clientFraction: 0.25 }));
    const asked = new Int32Array(40);
    for (let r = 0; r < 400; r++) {
      for (const c of server.sampleClients(40)) asked[c]++;
      server.applyRound([{ round: r, gradient: Float32Array.of(0, 0) }]);
    }
    for (const n of asked) expect(Math.abs(n - 100)).toBeLessThan(30);
  });
});

describe('federated privacy accounting (zCDP)', () => {
  it('hand-checked: σ = 1 is ρ = 2 per update; ten rounds of 100 clients are ρ = 0.2 for the aggregate', () => {
    const one = federatedPrivacy({ noiseMultiplier: 1, rounds: 1, clientsPerRound: 1, delta: 1e-5 });
    expect(one.perUser.rho).toBe(2);
    expect(one.perUser.epsilon).toBeCloseTo(2 + 2 * Math.sqrt(2 * Math.log(1e5)), 9); // ≈ 11.6
    const ten = federatedPrivacy({ noiseMultiplier: 1, rounds: 10, clientsPerRound: 100, delta: 1e-5 });
    expect(ten.perUser.rho).toBe(20);
    expect(ten.aggregate.rho).toBeCloseTo(0.2, 12);
    expect(ten.aggregate.epsilon).toBeCloseTo(0.2 + 2 * Math.sqrt(0.2 * Math.log(1e5)), 9);
  });

  it('no noise is no guarantee; no round taken part in is no loss', () => {
    expect(federatedPrivacy({ noiseMultiplier: 0, rounds: 3, clientsPerRound: 50, delta: 1e-6 }).aggregate.epsilon).toBe(Number.POSITIVE_INFINITY);
    expect(federatedPrivacy({ noiseMultiplier: 2, rounds: 0, clientsPerRound: 50, delta: 1e-6 }).perUser.epsilon).toBe(0);
    expect(codeOf(() => federatedPrivacy({ noiseMultiplier: 1, rounds: 1, clientsPerRound: 0, delta: 1e-6 }))).toBe('INVALID_INPUT');
  });
});
