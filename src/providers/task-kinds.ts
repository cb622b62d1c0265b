/** Design §5.3: mitigates Codex's tendency to overfit to its own first hypothesis. */
export const RECHECK_INSTRUCTION =
  'IMPORTANT: Re-check your proposed fix against the actual repo state before finalizing — do not overfit to your initial hypothesis.';
