/** Chat-style completion; always optional in the pipeline and never allowed to block a response past its deadline. */
export interface LlmRequest {
  system?: string;
  prompt: string;
  format?: 'text' | 'json';
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface LlmProvider {
  readonly id: string;
  /** True when prompts never leave this machine; absent means remote, so consent.llm applies. */
  readonly local?: boolean;
  complete(req: LlmRequest): Promise<{ text: string }>;
}
