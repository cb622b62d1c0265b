/**
 * Budgets from [usage]: a call whose estimated cost would push the month's (or the
 * checkpoint's) spend over its budget is refused before anything is sent.
 */
import type { Config } from '../config/schema.ts';
import type { RegistryEntry } from '../registry/models.ts';
import { MmError } from '../util/errors.ts';
import { estimateTokens } from '../util/tokens.ts';
import { estimateCost } from './cost.ts';
import type { LedgerEntry } from './ledger.ts';

/** Output tokens assumed for a call before it happens. */
const ASSUMED_OUTPUT_TOKENS = 1000;

export function checkBudgets(opts: {
  config: Config;
  entry: RegistryEntry | undefined;
  prompt: string;
  checkpoint?: string;
  ledger: () => LedgerEntry[];
  now?: Date;
  /** A known estimate (e.g. a priced image or video second) instead of the token estimate. */
  estimateUsd?: number | null;
}): void {
  const { monthly_budget_usd: monthly, checkpoint_budget_usd: perCheckpoint } = opts.config.usage;
  if (monthly === undefined && (perCheckpoint === undefined || !opts.checkpoint)) return;
  const estimate = opts.estimateUsd ?? estimateCost(opts.entry, { input: estimateTokens(opts.prompt), output: ASSUMED_OUTPUT_TOKENS, reasoning: 0, cached: 0 }) ?? 0;
  const entries = opts.ledger();
  const now = opts.now ?? new Date();
  if (monthly !== undefined) {
    const month = now.toISOString().slice(0, 7);
    const spent = sum(entries.filter((e) => e.ts.startsWith(month)));
    if (spent + estimate > monthly) {
      throw new MmError('budget', `usage.monthly_budget_usd ($${monthly}) would be exceeded: $${spent.toFixed(4)} spent in ${month}, this call ~$${estimate.toFixed(4)}; nothing was sent`, {
        hint: 'raise [usage] monthly_budget_usd, or use a cheaper model',
      });
    }
  }
  if (perCheckpoint !== undefined && opts.checkpoint) {
    const spent = sum(entries.filter((e) => e.checkpoint === opts.checkpoint));
    if (spent + estimate > perCheckpoint) {
      throw new MmError('budget', `usage.checkpoint_budget_usd ($${perCheckpoint}) would be exceeded for checkpoint "${opts.checkpoint}": $${spent.toFixed(4)} spent, this call ~$${estimate.toFixed(4)}; nothing was sent`, {
        hint: 'raise [usage] checkpoint_budget_usd, or narrow the checkpoint',
      });
    }
  }
}

function sum(entries: LedgerEntry[]): number {
  return entries.reduce((t, e) => t + (e.cost_usd ?? 0), 0);
}
