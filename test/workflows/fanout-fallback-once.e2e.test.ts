/**
 * Fan-out owns its fallbacks: through the real invokeModel, a failing primary makes
 * exactly one hop to the planned fallback, and each hop is one ledger line and one
 * record attempt (invokeModel's own [routing] chain is switched off with fallback: false).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeModel } from '../../src/providers/index.ts';
import { readLedger } from '../../src/usage/ledger.ts';
import { planCompetitive } from '../../src/workflows/fanout/plan.ts';
import { providerKeyOf, runFanout } from '../../src/workflows/fanout/run.ts';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-server.ts';
import { writeStubCli } from '../fakes/stub-cli.ts';
import { contextFor } from '../helpers/invoke-context.ts';

let claude: AnthropicFake;
const dir = mkdtempSync(join(tmpdir(), 'mm-fanout-once-'));
beforeAll(async () => {
  claude = await startAnthropicFake({ reply: 'claude answered' });
});
afterAll(() => claude.close());

describe('fan-out fallbacks through invokeModel', () => {
  it('a failing primary makes exactly one fallback hop, recorded once in the ledger and the record', async () => {
    const crash = writeStubCli(dir, 'codex-crash', { kind: 'crash' });
    const ctx = contextFor(
      `[models]\ncodex_enabled = true\ngemini_enabled = false\n[models.codex]\ncommand = "${crash}"\n`,
      {
        env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: claude.url },
      },
    );
    const [first, second] = planCompetitive({ prompt: 'write the parser' }, ['gpt-5.3-codex', 'claude-sonnet-4-6']);
    const calls = [{ ...first!, fallbacks: ['claude-sonnet-4-6'] }, second!];
    const out = await runFanout(calls, {
      invoke: invokeModel,
      ctx,
      cwd: dir,
      providerOf: providerKeyOf(ctx.registry),
      limitFor: () => 4,
    });

    expect(out.results[0]).toMatchObject({
      label: 'gpt-5.3-codex',
      ok: true,
      model: 'claude-sonnet-4-6',
      text: 'claude answered',
    });
    expect(out.records[0]!.attempts.map((a) => [a.model, a.status])).toEqual([
      ['gpt-5.3-codex', 'failed'],
      ['claude-sonnet-4-6', 'ok'],
    ]);
    expect(out.records[1]!.attempts.map((a) => [a.model, a.status])).toEqual([['claude-sonnet-4-6', 'ok']]);
    // One Claude request for the fallback hop, one for the second candidate: no second walk of the chain.
    expect(claude.calls()).toHaveLength(2);
    const ledger = readLedger(join(ctx.root, '.claude/mm/usage.jsonl'));
    expect(ledger.map((e) => [e.model, e.status]).sort()).toEqual([
      ['claude-sonnet-4-6', 'ok'],
      ['claude-sonnet-4-6', 'ok'],
      ['gpt-5.3-codex', 'failed'],
    ]);
  });

  it('a failure reports the model that produced the error', async () => {
    const crash = writeStubCli(dir, 'codex-crash2', { kind: 'crash' });
    const ctx = contextFor(`[models]\ncodex_enabled = true\n[models.codex]\ncommand = "${crash}"\n`, {
      env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: claude.url },
    });
    const [call] = planCompetitive({ prompt: 'p' }, ['gpt-5.3-codex', 'gpt-5.2']);
    const before = claude.calls().length;
    const out = await runFanout([{ ...call!, fallbacks: ['gpt-5.2'] }], {
      invoke: invokeModel,
      ctx,
      cwd: dir,
      providerOf: providerKeyOf(ctx.registry),
      limitFor: () => 4,
    });
    expect(out.results[0]).toMatchObject({ ok: false, model: 'gpt-5.2' });
    expect(out.records[0]!.attempts.map((a) => a.model)).toEqual(['gpt-5.3-codex', 'gpt-5.2']);
    expect(claude.calls().length).toBe(before); // Claude is not in the planned chain: never called
    expect(readLedger(join(ctx.root, '.claude/mm/usage.jsonl'))).toHaveLength(2);
  });
});

describe('fan-out refusals', () => {
  it('a budget refusal is not retried on the fallbacks, and nothing is sent', async () => {
    const ctx = contextFor(`[models]\ncodex_enabled = true\n[usage]\nmonthly_budget_usd = 0\n`, {
      env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: claude.url },
    });
    const before = claude.calls().length;
    const [call] = planCompetitive({ prompt: 'p' }, ['claude-sonnet-4-6', 'claude-opus-4-6']);
    const out = await runFanout([{ ...call!, fallbacks: ['claude-opus-4-6'] }], {
      invoke: invokeModel,
      ctx,
      cwd: dir,
      providerOf: providerKeyOf(ctx.registry),
      limitFor: () => 4,
      checkpoint: 'run-1',
    });
    expect(out.results[0]).toMatchObject({ ok: false, model: 'claude-sonnet-4-6' });
    expect((out.results[0] as { error: string }).error).toMatch(/monthly_budget_usd/);
    expect(out.records[0]!.attempts).toHaveLength(1);
    expect(claude.calls().length).toBe(before);
  });

  it('every call of a run carries the run id as its ledger checkpoint', async () => {
    const ctx = contextFor(`[models]\ncodex_enabled = false\n`, {
      env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: claude.url },
    });
    const calls = planCompetitive({ prompt: 'p' }, ['claude-sonnet-4-6', 'claude-haiku-4-5']);
    await runFanout(calls, {
      invoke: invokeModel,
      ctx,
      cwd: dir,
      providerOf: providerKeyOf(ctx.registry),
      limitFor: () => 4,
      checkpoint: 'run-42',
    });
    expect(readLedger(join(ctx.root, '.claude/mm/usage.jsonl')).map((e) => e.checkpoint)).toEqual(['run-42', 'run-42']);
  });
});
