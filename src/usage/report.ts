/** `mm usage`: ledger lines grouped by model, task or provider. Pure, so it is unit-tested. */
import { MmError } from '../util/errors.ts';
import type { BillingKind } from '../config/enums.ts';
import type { Config } from '../config/schema.ts';
import { geminiCliOf } from '../config/gemini-cli.ts';
import { windowUse } from './billing.ts';
import type { LedgerEntry } from './ledger.ts';

export type GroupBy = 'model' | 'task' | 'provider';

export interface UsageRow {
  key: string;
  calls: number;
  failures: number;
  failureRate: number;
  tokens: { input: number; output: number; reasoning: number; cached: number };
  costUsd: number;
  /** Calls whose cost is unknown (no registry price): the cost is a lower bound. */
  unpriced: number;
}

export function parseSince(value: string, now = new Date()): Date {
  const m = /^(\d+)\s*([mhdw])$/.exec(value.trim());
  if (m) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'm' | 'h' | 'd' | 'w'];
    return new Date(now.getTime() - Number(m[1]) * unit);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new MmError('usage', `--since "${value}": use an age like 7d, 12h, 30m, or a date like 2026-11-01`);
  return date;
}

export function summarise(entries: LedgerEntry[], by: GroupBy, since?: Date): { total: UsageRow; rows: UsageRow[] } {
  const kept = since ? entries.filter((e) => new Date(e.ts) >= since) : entries;
  const groups = new Map<string, LedgerEntry[]>();
  for (const e of kept) groups.set(e[by], [...(groups.get(e[by]) ?? []), e]);
  const rows = [...groups]
    .map(([key, es]) => rowOf(key, es))
    .sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls);
  return { total: rowOf('total', kept), rows };
}

function rowOf(key: string, es: LedgerEntry[]): UsageRow {
  const failures = es.filter((e) => e.status !== 'ok').length;
  const tokens = { input: 0, output: 0, reasoning: 0, cached: 0 };
  for (const e of es)
    for (const k of Object.keys(tokens) as Array<keyof typeof tokens>) tokens[k] += e.tokens?.[k] ?? 0;
  return {
    key,
    calls: es.length,
    failures,
    failureRate: es.length ? failures / es.length : 0,
    tokens,
    costUsd: Math.round(es.reduce((t, e) => t + (e.cost_usd ?? 0), 0) * 1e6) / 1e6,
    unpriced: es.filter((e) => e.cost_usd === null).length,
  };
}

export interface BillingRow {
  billing: 'api' | 'subscription';
  calls: number;
  tokens: { input: number; output: number };
  /** API money spent (always 0 for subscriptions). */
  costUsd: number;
  /** Subscriptions: what the same tokens would have cost at API list prices. */
  listCostUsd: number;
}

/** Calls split by how they are paid for: API spend beside subscription use. */
export function byBilling(entries: LedgerEntry[], billingOfProvider: (provider: string) => BillingKind): BillingRow[] {
  const rows = new Map<BillingKind, BillingRow>();
  for (const e of entries) {
    const kind = e.billing ?? billingOfProvider(e.provider);
    const row = rows.get(kind) ?? {
      billing: kind,
      calls: 0,
      tokens: { input: 0, output: 0 },
      costUsd: 0,
      listCostUsd: 0,
    };
    row.calls += 1;
    row.tokens.input += e.tokens?.input ?? 0;
    row.tokens.output += e.tokens?.output ?? 0;
    row.costUsd += e.cost_usd ?? 0;
    row.listCostUsd += e.list_cost_usd ?? 0;
    rows.set(kind, row);
  }
  return [...rows.values()].map((r) => ({
    ...r,
    costUsd: Math.round(r.costUsd * 1e6) / 1e6,
    listCostUsd: Math.round(r.listCostUsd * 1e6) / 1e6,
  }));
}

export interface BudgetLine {
  /** The config key, e.g. "usage.monthly_budget_usd" or "usage.limits.claude-cli". */
  key: string;
  /** What the budget allows and what was used, in its own unit. */
  text: string;
  /** What it measures, and what it cannot. */
  measures: string;
}

/** Every configured budget beside what it has counted so far. */
export function budgetLines(config: Config, entries: LedgerEntry[], now = new Date()): BudgetLine[] {
  const lines: BudgetLine[] = [];
  const { monthly_budget_usd: monthly, checkpoint_budget_usd: perCheckpoint, limits } = config.usage;
  if (monthly !== undefined) {
    const month = now.toISOString().slice(0, 7);
    const spent = entries.filter((e) => e.ts.startsWith(month)).reduce((t, e) => t + (e.cost_usd ?? 0), 0);
    lines.push({
      key: 'usage.monthly_budget_usd',
      text: `$${spent.toFixed(4)} of $${monthly} spent in ${month}`,
      measures: 'API calls priced in the registry; subscription calls cost no API money and are not counted',
    });
  }
  if (perCheckpoint !== undefined)
    lines.push({
      key: 'usage.checkpoint_budget_usd',
      text: `$${perCheckpoint} per checkpoint`,
      measures: 'API calls that name a checkpoint; subscription calls are not counted',
    });
  for (const [provider, limit] of Object.entries(limits)) {
    const use = windowUse(provider, limit, entries, now);
    const of = (n: number, max?: number) => `${n}${max !== undefined ? ` of ${max}` : ''}`;
    // A CLI that reports no token counts (the agy profile) can be held to calls only.
    const noTokens = provider === 'gemini' && geminiCliOf(config).usage === 'none';
    lines.push({
      key: `usage.limits.${provider}`,
      text: `${of(use.calls, limit.calls)} calls, ${of(use.tokens, limit.tokens)} tokens in the last ${limit.window_hours} h`,
      measures: `${noTokens ? 'calls only (this CLI reports no token counts, so a tokens limit never triggers)' : 'calls and input + output tokens'} mm sent through this login; use of the same login outside mm (your own sessions) is not visible here`,
    });
  }
  return lines;
}
