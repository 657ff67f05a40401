import { EngineError } from '../../core/errors.js';

/** A privacy loss in zero-concentrated DP (ρ) and the (ε, δ) it implies. */
export interface PrivacyLoss {
  rho: number;
  epsilon: number;
  delta: number;
}

export interface FederatedPrivacyInput {
  /** σ: each coordinate of a clipped update gets N(0, (σC)²). */
  noiseMultiplier: number;
  /** Rounds the user took part in (sent an update). */
  rounds: number;
  /** Clients whose updates are summed in each of those rounds (the user included). */
  clientsPerRound: number;
  delta: number;
}

export interface FederatedPrivacy {
  /**
   * Against whoever reads the user's own updates (the server, without secure aggregation): each update is the
   * Gaussian mechanism on the user's clipped gradient; any two histories of this user give updates at most 2C apart.
   */
  perUser: PrivacyLoss;
  /**
   * Against whoever reads only the averaged rounds and the published item factors (other devices, the public), when
   * the other clients of each round added their noise honestly and keep it secret: the sum of m updates carries noise
   * of standard deviation σC√m.
   */
  aggregate: PrivacyLoss;
}

/**
 * Privacy of federated rounds with clipped, Gaussian-noised updates, accounted in zCDP (Bun & Steinke 2016): a
 * Gaussian mechanism of L2 sensitivity Δ and noise σ_n is Δ²/(2σ_n²)-zCDP, rounds add up (also when each round's
 * model depends on the earlier ones), and ρ-zCDP implies (ρ + 2√(ρ ln(1/δ)), δ)-DP. Neighbouring data sets differ in
 * one user's whole history (replaced). Sampling of clients is not credited (a user is assumed present in every round
 * counted), so the bound is conservative in that respect. Without noise both losses are infinite.
 *
 * @example federatedPrivacy({ noiseMultiplier: 1, rounds: 10, clientsPerRound: 100, delta: 1e-6 }).aggregate.epsilon
 */
export function federatedPrivacy(input: FederatedPrivacyInput): FederatedPrivacy {
  const { noiseMultiplier: sigma, rounds, clientsPerRound: m, delta } = input;
  if (!(sigma >= 0) || !Number.isInteger(rounds) || rounds < 0 || !Number.isInteger(m) || m < 1 || !(delta > 0 && delta < 1)) {
    throw new EngineError('INVALID_INPUT', 'noiseMultiplier ≥ 0, rounds ≥ 0, clientsPerRound ≥ 1 and 0 < delta < 1 are needed', { path: 'privacy' });
  }
  // Δ = 2C and noise σC per update: (2C)² / (2σ²C²) = 2/σ² per round; the sum of m updates has noise σC√m
  const perRound = sigma === 0 ? Number.POSITIVE_INFINITY : 2 / (sigma * sigma);
  const loss = (rho: number): PrivacyLoss => ({ rho, epsilon: rho === 0 ? 0 : rho + 2 * Math.sqrt(rho * Math.log(1 / delta)), delta });
  return { perUser: loss(rounds === 0 ? 0 : rounds * perRound), aggregate: loss(rounds === 0 ? 0 : (rounds * perRound) / m) };
}
