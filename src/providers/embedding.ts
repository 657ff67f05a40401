/**
 * Turns texts into vectors. Every provider passes `embeddingProviderConformanceSuite` in src/testkit, which pins
 * the behaviour: one vector of `dimensions` floats per text, in input order; deterministic; unit L2 norm for every
 * text with a letter or digit (any script, any length) and the zero vector for texts without (empty, whitespace,
 * punctuation); an aborted signal rejects with EngineError CANCELLED. Open providers with `openEmbeddingProvider`
 * (src/providers/registry.ts); see docs/providers.md.
 */
export interface EmbeddingProvider {
  /** Stable id including the model, e.g. "builtin:sif-glove-100d" or "openai:text-embedding-3-small". */
  readonly id: string;
  readonly dimensions: number;
  /** True when texts never leave this machine (builtin, ngram, transformers); absent means remote (consent.llm applies). */
  readonly local?: boolean;
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}
