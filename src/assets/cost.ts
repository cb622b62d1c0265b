/** Estimated cost of one creative call from registry list prices; null when the price is unknown. */
import type { RegistryEntry } from '../registry/models.ts';

export interface CostBasis {
  resolution?: string;
  images?: number;
  seconds?: number;
  inputTokens?: number;
  outputTokens?: number;
}

export function estimateCost(entry: RegistryEntry, basis: CostBasis): number | null {
  const p = entry.prices;
  if (!p) return null;
  if (p.per_image) {
    const price = p.per_image[basis.resolution ?? '1K'] ?? p.per_image['1K'];
    return price === undefined ? null : round(price * (basis.images ?? 1));
  }
  if (p.per_second !== undefined) return basis.seconds === undefined ? null : round(p.per_second * basis.seconds);
  if (p.input_per_mtok !== undefined && basis.inputTokens !== undefined) {
    return round(
      (p.input_per_mtok * basis.inputTokens + (p.output_per_mtok ?? 0) * (basis.outputTokens ?? 0)) / 1_000_000,
    );
  }
  return null;
}

const round = (usd: number) => Math.round(usd * 1_000_000) / 1_000_000;
