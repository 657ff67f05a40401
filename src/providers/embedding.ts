/** Turns texts into vectors. Every provider passes `embeddingProviderConformanceSuite` in src/testkit. */
export interface EmbeddingProvider {
  /** Stable id including the model, e.g. "builtin:sif-glove-100d" or "openai:text-embedding-3-small". */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}
