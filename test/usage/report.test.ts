import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/usage/ledger.ts';
import { parseSince, summarise } from '../../src/usage/report.ts';

const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({
  ts: '2026-11-20T10:00:00.000Z',
  provider: 'codex',
  model: 'gpt-5.2',
  task: 'code_review',
  status: 'ok',
  tokens: { input: 100, output: 10, reasoning: 5, cached: 0 },
  latency_ms: 200,
  cost_usd: 0.01,
  ...over,
});

describe('usage report', () => {
  const now = new Date('2026-11-21T10:00:00Z');
  it('parses ages and dates', () => {
    expect(parseSince('7d', now).toISOString()).toBe('2026-11-14T10:00:00.000Z');
    expect(parseSince('12h', now).toISOString()).toBe('2026-11-20T22:00:00.000Z');
    expect(parseSince('2026-11-01').toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(() => parseSince('soon')).toThrow(/--since/);
  });

  it('groups, counts failures and sums tokens and cost', () => {
    const entries = [
      entry({}),
      entry({ status: 'timeout', cost_usd: 0 }),
      entry({ provider: 'gemini', model: 'gemini-3.1-pro', cost_usd: null }),
      entry({ ts: '2026-10-01T00:00:00Z' }),
    ];
    const { total, rows } = summarise(entries, 'provider', parseSince('7d', now));
    expect(total).toMatchObject({ calls: 3, failures: 1, costUsd: 0.01, unpriced: 1 });
    expect(rows.map((r) => [r.key, r.calls, r.failureRate])).toEqual([
      ['codex', 2, 0.5],
      ['gemini', 1, 0],
    ]);
    expect(rows[0]!.tokens).toEqual({ input: 200, output: 20, reasoning: 10, cached: 0 });
  });
});
