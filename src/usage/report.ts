/** `mm usage`: ledger lines grouped by model, task or provider. Pure, so it is unit-tested. */
import { MmError } from '../util/errors.ts';
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
