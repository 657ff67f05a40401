/**
 * A logistic-regression ranker over candidate features (pipeline/fusion/features.ts), stored with the model version (bundle meta).
 * Inputs are standardised with the training mean and scale; the score is the logit w·z + bias.
 */
export interface FusionRanker {
  /** The channels whose features it reads, in feature order. */
  channels: string[];
  /** Feature names (featureNames(channels)), for people reading `kindred models` and the docs. */
  features: string[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  /** What it was learned from. */
  learned: { users: number; rows: number; positives: number; l2: number; iterations: number };
}
