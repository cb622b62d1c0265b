/** Billing kinds: API spend vs subscription use, each held to the budget that can measure it. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { billingOf } from '../../src/usage/billing.ts';
import { reserveBudget } from '../../src/usage/budget.ts';
import { appendLedger, type LedgerEntry } from '../../src/usage/ledger.ts';
import { budgetLines, byBilling } from '../../src/usage/report.ts';
import { configFrom } from '../helpers/config.ts';
import { writeProjectConfig } from '../helpers/invoke-context.ts';
import { mm } from '../helpers/mm.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempDir } from '../helpers/repo.ts';

const now = new Date();
const line = (provider: string, over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  ts: now.toISOString(),
  provider,
  model: provider === 'claude-cli' ? 'claude-sonnet-4-6' : 'gpt-5.3-codex',
  task: 'code_review',
  status: 'ok',
  tokens: { input: 1000, output: 500, reasoning: 0, cached: 0 },
  latency_ms: 10,
  cost_usd: provider === 'claude-cli' ? 0 : 0.5,
  ...(provider === 'claude-cli' ? { billing: 'subscription' as const, list_cost_usd: 0.0105 } : {}),
  ...over,
});

function ledgerWith(entries: LedgerEntry[]): string {
  const dir = tempDir();
  mkdirSync(join(dir, '.claude', 'mm'), { recursive: true });
  const file = join(dir, '.claude', 'mm', 'usage.jsonl');
  for (const e of entries) appendLedger(file, e);
  return file;
}

describe('billing kinds', () => {
  it('claude-cli is a subscription by default; [usage.billing] overrides per provider', () => {
    const { config } = configFrom('[usage.billing]\ncodex = "subscription"\n');
    expect(billingOf(config, 'claude-cli')).toBe('subscription');
    expect(billingOf(config, 'codex')).toBe('subscription');
    expect(billingOf(config, 'gemini')).toBe('api');
    expect(billingOf(configFrom('[usage.billing]\nclaude-cli = "api"\n').config, 'claude-cli')).toBe('api');
    // Antigravity is an account login: a subscription unless configured otherwise.
    expect(billingOf(configFrom('[models.gemini]\nprofile = "agy"\n').config, 'gemini')).toBe('subscription');
  });

  it('USD budgets skip subscription calls; the subscription limit counts them', () => {
    const { config, registry } = configFrom(
      '[usage]\nmonthly_budget_usd = 0.51\n[usage.limits.claude-cli]\ncalls = 2\nwindow_hours = 5\n',
    );
    const file = ledgerWith([line('codex'), line('claude-cli')]);
    const sonnet = registry.find('sonnet');
    // $0.50 of $0.51 spent: a priced API call is refused, the subscription call is not (1 of 2 calls).
    expect(() =>
      reserveBudget({
        config,
        entry: registry.find('gpt-5.3-codex'),
        prompt: 'x'.repeat(40_000),
        ledgerFile: file,
        provider: 'codex',
      }),
    ).toThrow(/monthly_budget_usd/);
    expect(reserveBudget({ config, entry: sonnet, prompt: 'p', ledgerFile: file, provider: 'claude-cli' })).toEqual(
      expect.any(String),
    );
    // The reservation above is in flight: a third call would exceed 2 per window.
    expect(() =>
      reserveBudget({ config, entry: sonnet, prompt: 'p', ledgerFile: file, provider: 'claude-cli' }),
    ).toThrow(/usage\.limits\.claude-cli\.calls \(2 per 5 h\) reached: 1 calls \+ 1 in flight/);
  });

  it('a token limit stops the first call after it was reached; calls outside the window do not count', () => {
    const { config, registry } = configFrom('[usage.limits.claude-cli]\ntokens = 1500\nwindow_hours = 1\n');
    const old = new Date(now.getTime() - 2 * 3_600_000).toISOString();
    const sonnet = registry.find('sonnet');
    const fresh = ledgerWith([line('claude-cli', { ts: old })]);
    expect(
      reserveBudget({ config, entry: sonnet, prompt: 'p', ledgerFile: fresh, provider: 'claude-cli' }),
    ).toBeTruthy();
    const spent = ledgerWith([line('claude-cli')]);
    expect(() =>
      reserveBudget({ config, entry: sonnet, prompt: 'p', ledgerFile: spent, provider: 'claude-cli' }),
    ).toThrow(/tokens \(1500 per 1 h\) reached: 1500 tokens/);
  });

  it('report: both kinds side by side, and each budget says what it measures', () => {
    const { config } = configFrom('[usage]\nmonthly_budget_usd = 20\n[usage.limits.claude-cli]\ncalls = 100\n');
    const entries = [line('codex'), line('claude-cli'), line('claude-cli')];
    expect(byBilling(entries, (p) => billingOf(config, p))).toEqual([
      { billing: 'api', calls: 1, tokens: { input: 1000, output: 500 }, costUsd: 0.5, listCostUsd: 0 },
      { billing: 'subscription', calls: 2, tokens: { input: 2000, output: 1000 }, costUsd: 0, listCostUsd: 0.021 },
    ]);
    const budgets = budgetLines(config, entries, now);
    expect(budgets.map((b) => b.key)).toEqual(['usage.monthly_budget_usd', 'usage.limits.claude-cli']);
    expect(budgets[0]!.text).toContain('$0.5000 of $20 spent');
    expect(budgets[0]!.measures).toContain('subscription calls cost no API money');
    expect(budgets[1]!.text).toBe('2 of 100 calls, 3000 tokens in the last 5 h');
  });

  it('mm usage prints API spend, subscription use and the budgets', async () => {
    const root = tempDir();
    writeProjectConfig(root, '[usage]\nmonthly_budget_usd = 20\n[usage.limits.claude-cli]\ncalls = 100\n');
    const file = join(root, '.claude', 'mm', 'usage.jsonl');
    mkdirSync(join(root, '.claude', 'mm'), { recursive: true });
    for (const e of [line('codex'), line('claude-cli')]) appendLedger(file, e);
    const r = mm(['usage', '--by', 'provider'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/api: +1 calls, 1500 tokens, \$0\.5000 spent/);
    expect(r.stdout).toMatch(/subscription: 1 calls, 1500 tokens, no API cost/);
    expect(r.stdout).toContain('usage.limits.claude-cli: 1 of 100 calls');
    const json = (await mmIn(['usage', '--json'], { cwd: root })).json();
    expect(json.billing.map((b: { billing: string }) => b.billing)).toEqual(['api', 'subscription']);
    expect(json.budgets).toHaveLength(2);
  });

  it('a bad limit names its key', async () => {
    const root = tempDir();
    writeProjectConfig(root, '[usage.limits.claude-cli]\ncalls = -1\n');
    const r = await mmIn(['usage'], { cwd: root });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('usage.limits.claude-cli.calls');
  });
});
