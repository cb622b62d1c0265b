/**
 * The outcome vocabulary of a model call (its status and billed tokens), below every layer
 * that speaks it: the process runner, the usage ledger and the providers.
 */
export const INVOKE_STATUSES = [
  'ok',
  'unavailable',
  'timeout',
  'rate_limited',
  'truncated',
  'invalid_output',
  'auth',
  'model_not_found',
  'failed',
] as const;
export type InvokeStatus = (typeof INVOKE_STATUSES)[number];

/** Token counts as the provider bills them: reasoning is part of output. */
export interface Usage {
  /** Input tokens (Codex and Gemini include the cached ones; the Messages API counts cache reads apart). */
  input: number;
  /** Every output token, reasoning included: what output prices apply to. */
  output: number;
  /** The part of `output` spent thinking. */
  reasoning: number;
  /** Input tokens read from a cache. */
  cached: number;
}
