/**
 * Which providers take a request's temperature and output cap, as data: the local APIs
 * (Ollama `options.temperature/num_predict`, OpenAI-compatible `temperature/max_tokens`)
 * and the Messages API (max_tokens always, temperature only without thinking, i.e. on
 * Haiku) take them; the Codex and Gemini CLIs have no such flag. Fan-out reports what a
 * model ignores instead of pretending it was applied.
 */
import type { RegistryEntry } from '../registry/models.ts';

type SamplingParam = 'temperature' | 'max_tokens';

const IGNORED_BY_ACCESS: Partial<Record<RegistryEntry['access']['kind'], { params: SamplingParam[]; why: string }>> = {
  'codex-cli': { params: ['temperature', 'max_tokens'], why: 'the Codex CLI has no sampling flags' },
  'gemini-cli': { params: ['temperature', 'max_tokens'], why: 'the Gemini CLI has no sampling flags' },
  'claude-code': { params: ['temperature', 'max_tokens'], why: 'the Claude Code CLI has no sampling flags' },
};

export interface IgnoredSampling {
  params: SamplingParam[];
  why: string;
}

/** The asked-for parameters this model will not receive, with why; null when it takes all of them. */
export function ignoredSampling(
  entry: RegistryEntry | undefined,
  asked: { temperature?: number; maxTokens?: number },
  /** The adapter that will serve it: a Claude model without an API key goes through the Claude Code CLI. */
  adapter?: string,
): IgnoredSampling | null {
  const wanted: SamplingParam[] = [
    ...(asked.temperature !== undefined ? (['temperature'] as const) : []),
    ...(asked.maxTokens !== undefined ? (['max_tokens'] as const) : []),
  ];
  if (wanted.length === 0 || !entry) return null;
  const rule = IGNORED_BY_ACCESS[adapter === 'claude-cli' ? 'claude-code' : entry.access.kind];
  if (rule) {
    const params = wanted.filter((p) => rule.params.includes(p));
    return params.length ? { params, why: rule.why } : null;
  }
  // Messages API: thinking (every line but Haiku, by default adaptive) refuses a temperature.
  if (entry.access.kind === 'anthropic' && entry.line !== 'haiku' && wanted.includes('temperature'))
    return { params: ['temperature'], why: 'the Messages API takes no temperature with thinking on' };
  return null;
}
