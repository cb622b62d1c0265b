/**
 * Billing kinds: a provider is `api` (priced per token, counts against USD budgets) or
 * `subscription` (a CLI login such as `claude-cli`: tokens are counted, no API money is
 * spent, and its own allowance is in calls or tokens per window). Pure, so it is unit-tested.
 */
import type { BillingKind } from '../config/enums.ts';
import type { Config, SubscriptionLimit } from '../config/schema.ts';
import type { LedgerEntry } from './ledger.ts';

/** The defaults users override in `[usage.billing]`. */
const DEFAULT_BILLING: Readonly<Record<string, BillingKind>> = { 'claude-cli': 'subscription' };

export function billingOf(config: Config, provider: string): BillingKind {
  const configured = config.usage.billing[provider] ?? DEFAULT_BILLING[provider];
  if (configured) return configured;
  // The Antigravity CLI is a Google account login, not an API key.
  if (provider === 'gemini' && config.models.gemini.profile === 'agy') return 'subscription';
  return 'api';
}

export interface WindowUse {
  provider: string;
  limit: SubscriptionLimit;
  since: Date;
  calls: number;
  tokens: number;
}

/** A subscription provider's use inside its current window (calls and input + output tokens). */
export function windowUse(
  provider: string,
  limit: SubscriptionLimit,
  entries: LedgerEntry[],
  now: Date = new Date(),
): WindowUse {
  const since = new Date(now.getTime() - limit.window_hours * 3_600_000);
  const inWindow = entries.filter((e) => e.provider === provider && new Date(e.ts) >= since);
  return {
    provider,
    limit,
    since,
    calls: inWindow.length,
    tokens: inWindow.reduce((t, e) => t + (e.tokens?.input ?? 0) + (e.tokens?.output ?? 0), 0),
  };
}

/**
 * Why one more call would exceed the allowance, or null. Calls are known before the call;
 * tokens only after it, so the token limit stops the first call after it was reached.
 */
export function limitExceeded(use: WindowUse, inFlight = 0): string | null {
  const { limit, provider } = use;
  const window = `${limit.window_hours} h`;
  if (limit.calls !== undefined && use.calls + inFlight + 1 > limit.calls)
    return `usage.limits.${provider}.calls (${limit.calls} per ${window}) reached: ${use.calls} calls${inFlight ? ` + ${inFlight} in flight` : ''} since ${use.since.toISOString()}`;
  if (limit.tokens !== undefined && use.tokens >= limit.tokens)
    return `usage.limits.${provider}.tokens (${limit.tokens} per ${window}) reached: ${use.tokens} tokens since ${use.since.toISOString()}`;
  return null;
}
