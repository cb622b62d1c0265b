/**
 * Token estimate for always-loaded text. No tokenizer ships offline, so we use the common
 * ~4 characters per token of English prose, rounded up per item (slightly pessimistic).
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
