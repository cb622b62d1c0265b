/** Estimated cost from registry prices (USD per million tokens); null when unknown. */
import type { RegistryEntry } from '../registry/models.ts';
import type { Usage } from '../util/call-status.ts';

export function estimateCost(entry: RegistryEntry | undefined, usage: Usage): number | null {
  const p = entry?.prices;
  if (!p || p.input_per_mtok === undefined || p.output_per_mtok === undefined) return null;
  // `output` already holds the reasoning tokens (see Usage): adding `reasoning` would count them twice.
  const cost = (usage.input * p.input_per_mtok + usage.output * p.output_per_mtok) / 1_000_000;
  return Math.round(cost * 1e6) / 1e6;
}
