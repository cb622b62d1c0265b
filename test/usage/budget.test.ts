/** [usage] budgets in one process: checkpoint_budget_usd counts the calls of one run, never older runs. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeReviewPlan } from '../../src/cli/handlers/review-plan.ts';
import { invokeModel } from '../../src/providers/index.ts';
import { reserveBudget } from '../../src/usage/budget.ts';
import { runHandler } from '../cli/handler-harness.ts';
import { writeProjectConfig } from '../helpers/invoke-context.ts';

const config = { usage: { checkpoint_budget_usd: 1 } } as never;

describe('checkpoint_budget_usd is per run', () => {
  it('an earlier run of the same checkpoint does not use up a later run', () => {
    const ledgerFile = join(mkdtempSync(join(tmpdir(), 'mm-budget-')), 'usage.jsonl');
    const reserve = (run: string) =>
      reserveBudget({
        config,
        entry: undefined,
        prompt: 'p',
        checkpoint: 'plan_review',
        run,
        ledgerFile,
        estimateUsd: 0.6,
      });
    expect(reserve('run-a')).toEqual(expect.any(String));
    expect(() => reserve('run-a')).toThrow(/checkpoint_budget_usd \(\$1 per run\) would be exceeded/);
    expect(reserve('run-b')).toEqual(expect.any(String));
  });

  it('mm review plan refused by the budget exits 16, not 1', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mm-budget-plan-'));
    writeProjectConfig(root, '[models]\ncodex_enabled = true\n[usage]\ncheckpoint_budget_usd = 0.000001\n');
    writeFileSync(join(root, 'plan.md'), '# Plan\n\n1. do it\n');
    const r = await runHandler('review plan', makeReviewPlan(invokeModel), ['plan.md', '--with', 'codex'], root);
    expect(r.err).toContain('checkpoint_budget_usd');
    expect(r.code).toBe(16);
  });
});
