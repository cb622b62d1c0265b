/**
 * "This model does not exist (any more)" is its own answer: providers retire and rename
 * ids (gemini-3-pro-image-preview → gemini-3-pro-image), and a retry or a rate-limit
 * back-off cannot fix that. These are the wordings each provider and CLI actually uses,
 * read off their real replies (test/providers/model-gone.test.ts holds one of each).
 */
import type { Registry } from '../registry/registry.ts';

const MODEL_GONE_PATTERNS: RegExp[] = [
  // gemini-cli 0.61 on an API 404: `ModelNotFoundError: {}` in stderr, exit 1.
  /\bModelNotFoundError\b/,
  // OpenAI (and Codex, which relays it): code "model_not_found",
  // "The model `x` does not exist or you do not have access to it."
  /\bmodel_not_found\b/,
  /\bmodel [`"']?[\w.:/@-]+[`"']? does not exist\b/i,
  // Gemini API 404: "models/x is not found for API version v1beta, or is not supported for generateContent."
  /\bmodels\/[\w.:@-]+ is not found\b/i,
  // Ollama: `model "x" not found, try pulling it first`; LM Studio and others: "model x not found".
  /\bmodel [`"']?[\w.:/@-]+[`"']? (?:was )?not found\b/i,
  // Anthropic 404: {"type":"not_found_error","message":"model: claude-x"}.
  /\bnot_found_error\b[^\n]{1,80}\bmodel\b/i,
  // Retirement notices some endpoints answer with instead of a 404.
  /\bmodel\b[^\n]{1,80}?\b(?:has been (?:deprecated|retired|shut down)|is (?:deprecated|retired)|no longer (?:exists|available|supported))/i,
];

/** Whether a provider's error text (message, stderr, response body) says the model id is unknown or retired. */
export function isModelGone(text: string): boolean {
  return MODEL_GONE_PATTERNS.some((p) => p.test(text));
}

/**
 * The explained result: which id, at whom, what it is called now when the registry knows,
 * and where to look ("gemini-3-pro-image-preview no longer exists at Google; …").
 */
export function modelGoneMessage(opts: {
  /** The id sent on the wire. */
  wireModel: string;
  /** Who answered: "Google", "OpenAI", "Anthropic", an endpoint URL. */
  at: string;
  registry?: Registry;
  /** The provider's own words, shortened. */
  detail?: string;
}): string {
  const former = opts.registry?.formerId(opts.wireModel);
  const now = former
    ? ` (mm's registry: ${former.former.note}; use ${former.entry.id}${former.entry.wire_model ? ` = ${former.entry.wire_model}` : ''})`
    : '';
  const detail = opts.detail ? ` [${shorten(opts.detail)}]` : '';
  return `${opts.wireModel} no longer exists at ${opts.at}${now}; \`mm models refresh\` lists what does${detail}`;
}

function shorten(text: string, max = 200): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
