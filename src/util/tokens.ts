/**
 * The one token estimate mm uses where no tokenizer is at hand (thresholds, budgets,
 * packets, the pack's description budget): ~4 characters a token, rounded up. Rough,
 * and the same everywhere, so the numbers compare.
 */
export const CHARS_PER_TOKEN = 4;

export const tokensForChars = (chars: number): number => Math.ceil(chars / CHARS_PER_TOKEN);

/** The inverse, for a budget given in tokens that is checked against a length in characters. */
export const charsForTokens = (tokens: number): number => tokens * CHARS_PER_TOKEN;

export const estimateTokens = (text: string): number => tokensForChars(text.length);
