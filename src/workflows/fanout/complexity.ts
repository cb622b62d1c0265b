/**
 * Swarm routing: classify a task's complexity, then give it to the cheapest enabled
 * model whose cost tier is at least the tier that complexity needs. Cost tier stands in
 * for capability (the design's table: Flash-Lite for trivial/simple, Flash for medium,
 * Pro for complex/expert). Both tables are data, so changing the policy is one edit.
 */
import type { RegistryEntry } from '../../registry/models.ts';
import type { Registry } from '../../registry/registry.ts';
import type { Complexity } from './types.ts';

const TIER_RANK = { free: 0, $: 1, $$: 2, $$$: 3 } as const;

/** The lowest cost tier trusted with each complexity. */
const MIN_TIER_FOR: Record<Complexity, keyof typeof TIER_RANK> = {
  trivial: 'free',
  simple: '$',
  medium: '$',
  complex: '$$',
  expert: '$$$',
};

/** Keyword signals, strongest first; the first complexity with a match wins. */
const SIGNALS: Array<[Complexity, RegExp]> = [
  [
    'expert',
    /\b(distributed|consensus|cryptograph\w*|lock-free|concurrency model|security model|threat model|architecture)\b/i,
  ],
  [
    'complex',
    /\b(async|retry|retries|pool|algorithm|state machine|parser|migration|refactor\w*|concurren\w*|cache invalidation|transaction\w*)\b/i,
  ],
  ['medium', /\b(implement|endpoint|class|module|validation|handler|integration|component)\b/i],
  ['simple', /\b(add (a )?(field|flag|option|test)|docstring|comment|log line|getter|setter|constant)\b/i],
  ['trivial', /\b(derive|typo|rename|format|reorder imports|bump version)\b/i],
];

/** Heuristic classification: keywords first, then prompt length. */
export function classifyComplexity(prompt: string): Complexity {
  for (const [complexity, pattern] of SIGNALS) if (pattern.test(prompt)) return complexity;
  const length = prompt.length;
  if (length > 4000) return 'complex';
  if (length > 1200) return 'medium';
  if (length > 200) return 'simple';
  return 'trivial';
}

/** Models a swarm may use: enabled, able to write code, callable headless. */
export function swarmCandidates(registry: Registry): RegistryEntry[] {
  return registry.entries.filter(
    (e) => registry.isEnabled(e) && e.capabilities.includes('code') && e.access.kind !== 'teams',
  );
}

/** Capable models for a complexity, cheapest first (tier, then output price, then registry order). */
export function capableByPrice(complexity: Complexity, candidates: RegistryEntry[]): RegistryEntry[] {
  const minRank = TIER_RANK[MIN_TIER_FOR[complexity]];
  const price = (e: RegistryEntry) => e.prices?.output_per_mtok ?? Number.POSITIVE_INFINITY;
  return candidates
    .map((e, index) => ({ e, index }))
    .filter(({ e }) => TIER_RANK[e.cost_tier] >= minRank)
    .sort((x, y) => TIER_RANK[x.e.cost_tier] - TIER_RANK[y.e.cost_tier] || price(x.e) - price(y.e) || x.index - y.index)
    .map(({ e }) => e);
}

/** Cheapest capable model for a complexity, or undefined when none is enabled. */
export const cheapestCapable = (complexity: Complexity, candidates: RegistryEntry[]): RegistryEntry | undefined =>
  capableByPrice(complexity, candidates)[0];
