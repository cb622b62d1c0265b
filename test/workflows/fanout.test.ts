import { describe, expect, it } from 'vitest';
import { classifyComplexity, cheapestCapable, swarmCandidates } from '../../src/workflows/fanout/complexity.ts';
import { estimateCost, requireConfirmation } from '../../src/workflows/fanout/cost.ts';
import { createLimiter } from '../../src/workflows/fanout/limiter.ts';
import { extractCandidate } from '../../src/workflows/fanout/materialize.ts';
import { planCompetitive, planDivision, planSwarm } from '../../src/workflows/fanout/plan.ts';
import { providerKeyOf, runFanout } from '../../src/workflows/fanout/run.ts';
import { fakeContext, fakeProvider, testConfig } from '../helpers/fake-invoke.ts';

const { config, registry } = testConfig();
const ctx = fakeContext(config, registry);
const providerOf = providerKeyOf(registry);
const run = (calls: Parameters<typeof runFanout>[0], invoke: Parameters<typeof runFanout>[1]['invoke'], limit = 4) =>
  runFanout(calls, { invoke, ctx, cwd: '/tmp', providerOf, limitFor: () => limit });

describe('fan-out planning', () => {
  it('competitive sends the same spec to every model', () => {
    const calls = planCompetitive({ prompt: 'implement the parser' }, ['gpt-5.3-codex', 'gemini-3.1-pro']);
    expect(calls.map((c) => [c.label, c.model, c.prompt])).toEqual([
      ['gpt-5.3-codex', 'gpt-5.3-codex', 'implement the parser'],
      ['gemini-3.1-pro', 'gemini-3.1-pro', 'implement the parser'],
    ]);
  });

  it('division sends spec i to model i', () => {
    const calls = planDivision([{ prompt: 'A' }, { prompt: 'B', label: 'bee' }, { prompt: 'C' }], ['m1', 'm2']);
    expect(calls.map((c) => [c.label, c.model])).toEqual([
      ['spec-01', 'm1'],
      ['bee', 'm2'],
      ['spec-03', 'm1'],
    ]);
  });

  it('swarm classifies complexity and routes to the cheapest capable tier; overrides win', () => {
    const calls = planSwarm(
      [
        { prompt: 'Add derive(Serialize) to the Config struct', label: 'config-derive' },
        { prompt: 'Implement the connection pool with async retry logic', label: 'conn-pool' },
        { prompt: 'Add derive(Debug)', label: 'forced', complexity: 'expert' },
        { prompt: 'anything', label: 'pinned', model: 'gpt-5.2' },
      ],
      registry,
    );
    expect(calls.map((c) => [c.label, c.complexity, c.model])).toEqual([
      ['config-derive', 'trivial', 'gemini-3-flash'], // no free model enabled: the cheapest $ one
      ['conn-pool', 'complex', 'gemini-3.1-pro'], // cheapest $$ by output price (12 < 14 < 15)
      ['forced', 'expert', 'claude-opus-4-6'],
      ['pinned', 'trivial', 'gpt-5.2'],
    ]);
    expect(calls[0]!.fallbacks).toEqual(['claude-haiku-4-5', 'gpt-5.3-codex-spark']); // next cheapest capable (unpriced last in its tier)
    expect(calls[3]!.fallbacks).toEqual([]); // a pinned model is what the user asked for
  });

  it('a free local model takes trivial work when enabled', () => {
    const local = testConfig({ codex_enabled: true, local_llm_enabled: true });
    expect(cheapestCapable('trivial', swarmCandidates(local.registry))?.id).toBe('local-llm');
    expect(cheapestCapable('simple', swarmCandidates(local.registry))?.id).toBe('claude-haiku-4-5');
  });

  it('classifies by keywords, then by length', () => {
    expect(classifyComplexity('fix a typo in the README')).toBe('trivial');
    expect(classifyComplexity('add a field to the form')).toBe('simple');
    expect(classifyComplexity('implement the /users endpoint')).toBe('medium');
    expect(classifyComplexity('write a parser for the DSL')).toBe('complex');
    expect(classifyComplexity('design the distributed consensus layer')).toBe('expert');
    expect(classifyComplexity('x'.repeat(5000))).toBe('complex');
  });
});

describe('cost estimate and confirmation', () => {
  it('prices calls from the registry and asks before more than one paid call', () => {
    const calls = planCompetitive({ prompt: 'x'.repeat(4000), max_tokens: 1000 }, ['gpt-5.3-codex', 'gemini-3.1-pro']);
    const estimate = estimateCost(calls, registry, 4000);
    expect(estimate.paidCalls).toBe(2);
    // codex: 1000 in × 1.75 + 1000 out × 14; gemini: 1000 × 2 + 1000 × 12 (per million)
    expect(estimate.knownUsd).toBeCloseTo((1000 * 1.75 + 1000 * 14 + 1000 * 2 + 1000 * 12) / 1e6, 8);
    expect(() => requireConfirmation(estimate, false, 'mm fanout')).toThrow(
      expect.objectContaining({ kind: 'needs_confirmation' }),
    );
    expect(() => requireConfirmation(estimate, true, 'mm fanout')).not.toThrow();
    const one = estimateCost(calls.slice(0, 1), registry, 4000);
    expect(() => requireConfirmation(one, false, 'mm fanout')).not.toThrow();
  });

  it('free models are not paid calls; unknown prices are reported', () => {
    const local = testConfig({ local_llm_enabled: true, codex_enabled: true });
    const estimate = estimateCost(
      planDivision([{ prompt: 'a' }, { prompt: 'b' }], ['local-llm', 'gpt-5.3-codex-spark']),
      local.registry,
      100,
    );
    expect(estimate.paidCalls).toBe(1);
    expect(estimate.unpriced).toBe(1);
  });
});

describe('fan-out execution with fake providers', () => {
  it('returns the published result shape, with partial failures', async () => {
    const fake = fakeProvider((target) =>
      target === 'gemini-3.1-pro'
        ? { status: 'rate_limited' }
        : target === 'gpt-5.2'
          ? { throws: 'boom' }
          : { text: `hi from ${target}` },
    );
    const out = await run(
      planCompetitive({ prompt: 'implement x', label: 'x' }, ['gpt-5.3-codex', 'gemini-3.1-pro', 'gpt-5.2']),
      fake.invoke,
    );
    expect({ results: out.results, summary: out.summary }).toEqual({
      results: [
        {
          label: 'x-gpt-5.3-codex',
          model: 'gpt-5.3-codex',
          complexity: 'medium',
          ok: true,
          text: 'hi from gpt-5.3-codex',
        },
        {
          label: 'x-gemini-3.1-pro',
          model: 'gemini-3.1-pro',
          complexity: 'medium',
          ok: false,
          error: 'gemini-3.1-pro: rate_limited (rate_limited (fake))',
        },
        { label: 'x-gpt-5.2', model: 'gpt-5.2', complexity: 'medium', ok: false, error: 'gpt-5.2: failed (boom)' },
      ],
      summary: { total: 3, succeeded: 1, failed: 2 },
    });
    expect(JSON.stringify(out.results[0])).toBe(
      '{"label":"x-gpt-5.3-codex","model":"gpt-5.3-codex","complexity":"medium","ok":true,"text":"hi from gpt-5.3-codex"}',
    );
  });

  it('respects the per-provider concurrency limit while running providers in parallel', async () => {
    const fake = fakeProvider(
      () => ({ delayMs: 40 }),
      (t) => providerOf(t),
    );
    const models = [
      'gpt-5.3-codex',
      'gpt-5.2',
      'gpt-5.3-codex-spark',
      'gpt-5.2-mini',
      'gemini-3.1-pro',
      'gemini-3-flash',
    ];
    const calls = planDivision(
      models.flatMap((m) => [
        { prompt: m, model: m },
        { prompt: m, model: m },
      ]),
      [],
    );
    const out = await run(calls, fake.invoke, 2);
    expect(out.summary.succeeded).toBe(12);
    expect(fake.maxInFlight.get('codex')).toBe(2);
    expect(fake.maxInFlight.get('gemini')).toBe(2);
  });

  it('tries the fallbacks in order when a model does not answer ok', async () => {
    const fake = fakeProvider((t) => (t === 'gemini-3.1-pro' ? { status: 'timeout' } : {}));
    const [call] = planDivision([{ prompt: 'schemas', model: 'gemini-3.1-pro' }], []);
    const out = await run([{ ...call!, fallbacks: ['claude-sonnet-4-6'] }], fake.invoke);
    expect(out.results[0]).toMatchObject({ ok: true, model: 'claude-sonnet-4-6' });
    expect(out.records[0]!.attempts.map((a) => [a.model, a.status])).toEqual([
      ['gemini-3.1-pro', 'timeout'],
      ['claude-sonnet-4-6', 'ok'],
    ]);
  });

  it('a limiter never runs more than its maximum', async () => {
    const limit = createLimiter(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        limit(async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});

describe('materialize', () => {
  it('takes a unified diff as a patch', () => {
    const c = extractCandidate(
      'Here you go:\n```diff\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n```\n',
    );
    expect(c).toEqual({ kind: 'patch', patch: 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n' });
  });

  it('takes code blocks that name their file, and refuses paths outside the project', () => {
    const c = extractCandidate(
      '### `src/a.ts`\n```ts\nexport const a = 1;\n```\n\n```ts title="src/b.ts"\nexport const b = 2;\n```\n',
    );
    expect(c).toEqual({
      kind: 'files',
      files: [
        { path: 'src/a.ts', content: 'export const a = 1;\n' },
        { path: 'src/b.ts', content: 'export const b = 2;\n' },
      ],
    });
    expect(extractCandidate('File: ../../etc/evil.sh\n```\nx\n```\n')).toMatchObject({
      kind: 'none',
      reason: expect.stringMatching(/refused/),
    });
    expect(extractCandidate('just prose')).toMatchObject({ kind: 'none' });
  });
});
