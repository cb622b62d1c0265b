/**
 * The cost estimate shown before a fan-out runs, from registry prices: input tokens
 * ≈ prompt characters / 4, output tokens = the task's max_tokens or the configured
 * assumption. A call is "paid" unless its model's cost tier is "free". Only each call's
 * primary model is priced: its fallbacks run only if it fails.
 */
import type { Config } from '../../config/schema.ts';
import type { Registry } from '../../registry/registry.ts';
import { MmError } from '../../util/errors.ts';
import { estimateTokens } from '../../util/tokens.ts';
import type { PlannedCall } from './types.ts';

interface CallEstimate {
  label: string;
  model: string;
  paid: boolean;
  /** null when the registry has no price for the model. */
  usd: number | null;
}

export interface CostEstimate {
  calls: CallEstimate[];
  paidCalls: number;
  /** Sum of the known prices. */
  knownUsd: number;
  /** Calls whose price is unknown (counted as paid). */
  unpriced: number;
}

export function estimateCost(calls: PlannedCall[], registry: Registry, defaultOutputTokens: number): CostEstimate {
  const estimates = calls.map((c): CallEstimate => {
    const entry = registry.find(c.model);
    const paid = entry?.cost_tier !== 'free';
    const prices = entry?.prices;
    const inTok = estimateTokens(c.prompt);
    const outTok = c.maxTokens ?? defaultOutputTokens;
    const usd =
      prices && prices.input_per_mtok !== undefined && prices.output_per_mtok !== undefined
        ? (inTok * prices.input_per_mtok + outTok * prices.output_per_mtok) / 1_000_000
        : paid
          ? null
          : 0;
    return { label: c.label, model: c.model, paid, usd };
  });
  return {
    calls: estimates,
    paidCalls: estimates.filter((e) => e.paid).length,
    knownUsd: estimates.reduce((sum, e) => sum + (e.usd ?? 0), 0),
    unpriced: estimates.filter((e) => e.usd === null).length,
  };
}

export function formatEstimate(estimate: CostEstimate): string {
  const lines = estimate.calls.map(
    (c) =>
      `  ${c.label}: ${c.model}  ${c.usd === null ? 'price unknown' : `~$${c.usd.toFixed(4)}`}${c.paid ? '' : ' (free)'}`,
  );
  const unknown = estimate.unpriced
    ? ` + ${estimate.unpriced} call${estimate.unpriced === 1 ? '' : 's'} of unknown price`
    : '';
  return [
    `Cost estimate: ${estimate.calls.length} call${estimate.calls.length === 1 ? '' : 's'}, ${estimate.paidCalls} paid, ~$${estimate.knownUsd.toFixed(4)}${unknown}`,
    ...lines,
  ].join('\n');
}

/** More than one paid call needs the user's go-ahead (the design's cost warning); --yes gives it. */
export function requireConfirmation(estimate: CostEstimate, confirmed: boolean, command: string): void {
  if (estimate.paidCalls <= 1 || confirmed) return;
  throw new MmError(
    'needs_confirmation',
    `${command} would make ${estimate.paidCalls} paid model calls (~$${estimate.knownUsd.toFixed(4)}${estimate.unpriced ? ' plus unpriced calls' : ''})`,
    {
      details: formatEstimate(estimate).split('\n'),
      hint: 're-run with --yes to confirm',
    },
  );
}

/** Every model of the plan is known, the estimate is computed, and refused without --yes when it needs confirming. */
export function checkAndEstimate(
  calls: PlannedCall[],
  registry: Registry,
  config: Config,
  yes: boolean,
  command: string,
): CostEstimate {
  for (const c of calls) for (const m of [c.model, ...c.fallbacks]) registry.get(m, `${command} (${c.label})`);
  const estimate = estimateCost(calls, registry, config.fanout.estimate_output_tokens);
  requireConfirmation(estimate, yes, command);
  return estimate;
}
