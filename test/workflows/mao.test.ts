import { afterEach, describe, expect, it } from 'vitest';
import { createRun, listRuns, updateRun, writeRunFile } from '../../src/runs/store.ts';
import { runFanout, providerKeyOf } from '../../src/workflows/fanout/run.ts';
import { diversityScore } from '../../src/workflows/mao/assign.ts';
import { developCalls, formatPlan, planDevelop } from '../../src/workflows/mao/develop.ts';
import {
  digestRuns,
  journalCalls,
  journalOutcome,
  planJournal,
  selectRuns,
  synthesizeJournal,
} from '../../src/workflows/mao/journal.ts';
import { recordCheckpoint, recordReview } from '../../src/runs/records.ts';
import { exitForStatus } from '../../src/cli/exit-codes.ts';
import { combineQa, planQa, qaCalls } from '../../src/workflows/mao/qa.ts';
import { fakeContext, fakeProvider, testConfig } from '../helpers/fake-invoke.ts';
import { tempDir } from '../helpers/repo.ts';
import { rmSync } from 'node:fs';

const all = testConfig({ codex_enabled: true, gemini_enabled: true });
const claudeOnly = testConfig({});
const exec = (calls: Parameters<typeof runFanout>[0], invoke: Parameters<typeof runFanout>[1]['invoke'], env = all) =>
  runFanout(calls, {
    invoke,
    ctx: fakeContext(env.config, env.registry),
    cwd: '/tmp',
    providerOf: providerKeyOf(env.registry),
    limitFor: () => 4,
  });

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('develop', () => {
  it('assigns the five workstreams by routing config, with a diversity score', () => {
    const plan = planDevelop('build OAuth login', all.config, all.registry);
    expect(plan.assignments.map((a) => [a.key, a.model])).toEqual([
      ['schemas', 'gemini-3.1-pro'],
      ['storage', 'gpt-5.3-codex'],
      ['core_logic', 'gpt-5.2'],
      ['implementation', 'claude-sonnet-4-6'],
      ['tests', 'gpt-5.3-codex'],
    ]);
    expect(plan.assignments[0]!.fallbacks).toEqual(['claude-sonnet-4-6', 'claude-opus-4-6']);
    expect(plan.diversity).toEqual({ score: 0.7, models: 4, vendors: 3 });
    expect(formatPlan(plan)).toContain('Diversity score: 0.70 (4 models, 3 vendors across 5 workstreams)');
  });

  it('falls back past disabled integrations and says why', () => {
    const plan = planDevelop('x', claudeOnly.config, claudeOnly.registry);
    const schemas = plan.assignments[0]!;
    expect(schemas.model).toBe('claude-sonnet-4-6');
    expect(schemas.skipped).toEqual([{ model: 'gemini-3.1-pro', reason: 'integration disabled in [models]' }]);
    expect(plan.assignments.find((a) => a.key === 'core_logic')!.model).toBe('claude-opus-4-6');
  });

  it('honours a [routing] override', () => {
    const env = testConfig({ codex_enabled: true });
    env.config.routing.tests = { primary: 'gpt-5.2-mini', fallback: [] };
    expect(planDevelop('x', env.config, env.registry).assignments.find((a) => a.key === 'tests')!.model).toBe(
      'gpt-5.2-mini',
    );
  });

  it('runs through fan-out with runtime fallbacks', async () => {
    const fake = fakeProvider((t) =>
      t === 'gemini-3.1-pro' ? { status: 'timeout' } : { text: `### \`src/${t}.ts\`\n\`\`\`ts\nx\n\`\`\`` },
    );
    const out = await exec(developCalls(planDevelop('build it', all.config, all.registry)), fake.invoke);
    expect(out.summary).toEqual({ total: 5, succeeded: 5, failed: 0 });
    expect(out.results[0]).toMatchObject({ label: 'schemas', model: 'claude-sonnet-4-6' });
    expect(fake.calls.find((c) => c.target === 'gpt-5.2')!.request.prompt).toContain('core logic');
  });

  it('diversity: one model everywhere scores low', () => {
    const same = Array.from({ length: 5 }, (_, i) => ({
      key: `w${i}`,
      model: 'm',
      vendor: 'v',
      fallbacks: [],
      skipped: [],
    }));
    expect(diversityScore(same).score).toBe(0.2);
  });
});

describe('qa', () => {
  const reply = (score: number, severity = 'medium') =>
    JSON.stringify({
      score,
      findings: [{ severity, file: 'a.ts', line: 3, issue: `issue at ${score}`, recommendation: null }],
    });

  it('weights the five dimensions 30/25/20/15/10 into one score and one findings list', async () => {
    const scores: Record<string, number> = {
      'gemini-3.1-pro': 90,
      'claude-sonnet-4-6': 80,
      'gpt-5.3-codex': 70,
      'claude-opus-4-6': 60,
      'gpt-5.2': 50,
    };
    const fake = fakeProvider((t) => ({
      text: `\`\`\`json\n${reply(scores[t]!, t === 'gpt-5.2' ? 'critical' : 'low')}\n\`\`\``,
    }));
    const assignments = planQa(all.config, all.registry);
    const out = await exec(qaCalls(assignments, 'the diff'), fake.invoke);
    const report = combineQa(out.results, out.records);
    expect(report.score).toBe((30 * 90 + 25 * 80 + 20 * 70 + 15 * 60 + 10 * 50) / 100);
    expect(report.coverage).toBe(1);
    expect(report.findings).toHaveLength(5);
    expect(report.findings[0]).toMatchObject({ severity: 'critical', category: 'security', models: ['gpt-5.2'] });
    expect(fake.calls[0]!.request.schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['score', 'findings'],
    });
  });

  it('scores over the dimensions that answered and reports the rest', async () => {
    const fake = fakeProvider((t, r) =>
      r.task === 'qa:type_safety'
        ? { status: 'unavailable' }
        : r.task === 'qa:security'
          ? { text: 'looks fine to me' }
          : { text: reply(80) },
    );
    const assignments = planQa(all.config, all.registry).map((a) => ({ ...a, fallbacks: [] }));
    const out = await exec(qaCalls(assignments, 'diff'), fake.invoke);
    const report = combineQa(out.results, out.records);
    expect(report.score).toBe(80);
    expect(report.coverage).toBe(0.7);
    expect(report.dimensions.filter((d) => !d.ok).map((d) => [d.key, d.error?.split(':')[0]])).toEqual([
      ['type_safety', 'gpt-5.3-codex'],
      ['security', 'invalid_output'],
    ]);
  });
});

describe('journal', () => {
  it("digests a session's runs, gathers three perspectives and has Claude synthesise them", async () => {
    const root = tempDir();
    dirs.push(root);
    const env = { MM_RUN_ID: 'session-1' };
    const a = createRun(root, 'referee', { env, summary: 'referee x vs y' });
    writeRunFile(root, a.run_id, 'outputs/verdict.md', '# Referee verdict — A wins');
    updateRun(root, a.run_id, { status: 'done' });
    createRun(root, 'fanout', { env: { MM_RUN_ID: 'other' }, summary: 'not this session' });
    const runs = selectRuns(listRuns(root), { session: 'session-1' });
    expect(runs.map((r) => r.kind)).toEqual(['referee']);
    const digest = digestRuns(root, runs);
    expect(digest).toContain('A wins');
    const fake = fakeProvider((t, r) => ({ text: r.task === 'journal:synthesis' ? 'One entry.' : `view of ${t}` }));
    const out = await exec(journalCalls(planJournal(all.config, all.registry), digest), fake.invoke);
    expect(out.results.map((r) => [r.label, r.model])).toEqual([
      ['technical', 'gemini-3.1-pro'],
      ['process', 'claude-sonnet-4-6'],
      ['insights', 'gpt-5.2'],
    ]);
    const entry = await synthesizeJournal(out.results, {
      invoke: fake.invoke,
      ctx: fakeContext(all.config, all.registry),
      cwd: root,
      model: 'claude-opus-4-6',
      date: '2026-11-21',
    });
    expect(entry.synthesized).toBe(true);
    expect(entry.markdown).toBe('# Journal — 2026-11-21\n\nOne entry.\n');
  });

  it('hands the perspectives to the session when Claude cannot be called', async () => {
    const fake = fakeProvider((t) => (t === 'claude-opus-4-6' ? { status: 'unavailable' } : {}));
    const perspectives = [
      { label: 'technical', model: 'm1', complexity: 'medium' as const, ok: true as const, text: 'built X' },
      { label: 'process', model: 'm2', complexity: 'medium' as const, ok: false as const, error: 'timeout' },
      { label: 'insights', model: 'm3', complexity: 'medium' as const, ok: true as const, text: 'test first' },
    ];
    const entry = await synthesizeJournal(perspectives, {
      invoke: fake.invoke,
      ctx: fakeContext(all.config, all.registry),
      cwd: '/tmp',
      model: 'claude-opus-4-6',
      date: 'd',
    });
    expect(entry.synthesized).toBe(false);
    expect(entry.markdown).toContain('Claude: synthesise these perspectives');
    expect(entry.markdown).toContain('built X');
    expect(entry.markdown).toContain('_not available: timeout_');
  });

  it('fails (exit code of the failure) when no perspective answered, names the missing ones when some did', () => {
    const res = (label: string, ok: boolean) =>
      ok
        ? { label, model: 'm', complexity: 'medium' as const, ok: true as const, text: 't' }
        : { label, model: 'm', complexity: 'medium' as const, ok: false as const, error: 'm: timeout' };
    const rec = (label: string, status: string) => ({
      label,
      attempts: [{ model: 'm', status, latencyMs: 1, costUsd: null }],
    });
    const none = journalOutcome(
      [res('technical', false), res('process', false), res('insights', false)],
      [rec('technical', 'timeout'), rec('process', 'auth'), rec('insights', 'timeout')],
    );
    expect(none.failed).toBe(true);
    expect(exitForStatus(none.status)).toBe(11);
    const some = journalOutcome(
      [res('technical', true), res('process', false), res('insights', true)],
      [rec('technical', 'ok'), rec('process', 'unavailable'), rec('insights', 'ok')],
    );
    expect(some).toEqual({ failed: false, status: 'unavailable', missing: ['process (unavailable)'] });
  });

  it('includes session runs, with their checkpoint decisions and review records', () => {
    const root = tempDir();
    dirs.push(root);
    const env = { MM_RUN_ID: 'session-2' };
    recordCheckpoint(root, env, {
      checkpoint: 'diff_review',
      mode: 'auto',
      action: 'run',
      reason: 'large change',
      command: 'mm review diff',
    });
    recordReview(root, env, 'diff', { results: [{ status: 'ok', model: 'gpt-5.2', verdict: { verdict: 'CONCERN' } }] });
    createRun(root, 'qa', { env, summary: 'qa of x' });
    const runs = selectRuns(listRuns(root), { session: 'session-2' });
    expect(runs.map((r) => r.kind).sort()).toEqual(['qa', 'session']);
    const digest = digestRuns(root, runs);
    expect(digest).toContain('diff_review (auto): run — large change');
    expect(digest).toContain('gpt-5.2: CONCERN');
  });
});
