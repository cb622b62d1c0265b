import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeReviewDiff } from '../../src/cli/handlers/review-diff.ts';
import { makeReviewPlan } from '../../src/cli/handlers/review-plan.ts';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { BLOCK, CONCERN, FAILURE_STATUSES, ISSUES, LGTM, PASS, scripted } from '../fakes/scripted-invoke.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';
import { configToml, runHandler } from './handler-harness.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const plan = (tasks: number) =>
  `# Plan\n\n${Array.from({ length: tasks }, (_, i) => `- [ ] Task ${i + 1}`).join('\n')}\n`;

function setup(checkpoints: Record<string, string>, extra = '') {
  repo = tempRepo();
  repo.write('.claude/config/multi-model.toml', configToml(checkpoints, extra));
  repo.write('plan.md', plan(25));
  repo.write('small.md', plan(3));
  repo.write('.gitignore', '.claude/\n');
  repo.commitAll('base');
  return repo;
}

function runDir(dir: string): string {
  const id = readFileSync(join(dir, '.claude/mm/runs/CURRENT'), 'utf8').trim();
  return join(dir, '.claude/mm/runs', id);
}

describe('mm review plan', () => {
  it('"ask" prints the suggestion with its reason and exits 3 without calling a model', async () => {
    const r0 = setup({ plan_review: 'ask' });
    const s = scripted([{ json: PASS }]);
    const r = await runHandler('review plan', makeReviewPlan(s.invoke), ['plan.md'], r0.dir);
    expect(r.code).toBe(EXIT.needs_confirmation);
    expect(r.out).toContain('25 task');
    expect(r.out).toContain('--yes');
    expect(s.calls).toHaveLength(0);
    expect(readFileSync(join(runDir(r0.dir), 'checkpoints.jsonl'), 'utf8')).toContain('"action":"ask"');
  });

  it.each([
    ['PASS', PASS],
    ['CONCERN', CONCERN],
    ['BLOCK', BLOCK],
  ])('--yes runs Codex read-only at the plan_review effort and reports %s', async (word, reply) => {
    const r0 = setup({ plan_review: 'ask' });
    const s = scripted([{ json: reply }]);
    const r = await runHandler('review plan', makeReviewPlan(s.invoke), ['plan.md', '--yes'], r0.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`: ${word}`);
    expect(s.calls[0]!.target).toBe('codex');
    expect(s.calls[0]!.request).toMatchObject({ sandbox: 'read-only', effort: 'medium', task: 'plan_review' });
    expect(s.calls[0]!.request.prompt).toContain('Task ordering issues');
    expect(readdirSync(join(runDir(r0.dir), 'reviews'))).toHaveLength(1);
  });

  it('"auto" runs only for plans above plan_review_min_tasks', async () => {
    const r0 = setup({ plan_review: 'auto' });
    const s = scripted([{ json: PASS }]);
    expect((await runHandler('review plan', makeReviewPlan(s.invoke), ['small.md'], r0.dir)).out).toContain('Skipped');
    expect(s.calls).toHaveLength(0);
    const r = await runHandler('review plan', makeReviewPlan(s.invoke), ['plan.md', '--json'], r0.dir);
    expect(r.json().review.verdict.verdict).toBe('PASS');
    expect(s.calls).toHaveLength(1);
  });

  it('"off" never runs, but an explicit --with does (Pattern C)', async () => {
    const r0 = setup({ plan_review: 'off' });
    const s = scripted([{ json: PASS }]);
    expect((await runHandler('review plan', makeReviewPlan(s.invoke), ['plan.md', '--yes'], r0.dir)).out).toContain(
      'Skipped',
    );
    expect(s.calls).toHaveLength(0);
    const r = await runHandler('review plan', makeReviewPlan(s.invoke), ['plan.md', '--with', 'gemini'], r0.dir);
    expect(r.code).toBe(0);
    expect(s.calls[0]!.target).toBe('gemini');
  });

  it.each(FAILURE_STATUSES)(
    'a %s call exits non-zero (10–17; "failed" is 1) and never prints a verdict',
    async (status) => {
      const r0 = setup({ plan_review: 'auto' });
      const r = await runHandler('review plan', makeReviewPlan(scripted([{ status }]).invoke), ['plan.md'], r0.dir);
      if (status === 'failed') expect(r.code).toBe(EXIT.failed);
      else expect(r.code).toBe(EXIT[status]);
      expect(r.out).toContain('COULD NOT RUN');
      expect(r.out).not.toMatch(/: (PASS|CONCERN|BLOCK)\b/);
    },
  );

  it('malformed JSON exits 14 (invalid_output)', async () => {
    const r0 = setup({ plan_review: 'auto' });
    const r = await runHandler(
      'review plan',
      makeReviewPlan(scripted([{ text: 'PASS!' }]).invoke),
      ['plan.md'],
      r0.dir,
    );
    expect(r.code).toBe(EXIT.invalid_output);
  });
});

describe('mm review diff', () => {
  function change(r: TempRepo) {
    r.write('src/auth.ts', 'export const a = 1;\nif (!timingSafeEqual(token, given)) throw new Unauthorized();\n');
  }

  it('"ask" exits 3 with the reviewer and the trigger; --yes reviews and records', async () => {
    const r0 = setup({ pr_cross_review: 'ask' });
    change(r0);
    const s = scripted([{ json: ISSUES() }]);
    const asked = await runHandler('review diff', makeReviewDiff(s.invoke), [], r0.dir);
    expect(asked.code).toBe(EXIT.needs_confirmation);
    expect(asked.out).toMatch(/security|auth/);
    expect(s.calls).toHaveLength(0);
    const r = await runHandler('review diff', makeReviewDiff(s.invoke), ['--yes'], r0.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('ISSUES');
    expect(r.out).toContain('src/auth.ts:2');
    // security-sensitive change → Gemini Pro
    expect(s.calls[0]!.request.model).toBe('gemini-3.1-pro');
    expect(s.calls[0]!.request.prompt).toContain('2+if (!timingSafeEqual(token, given)) throw new Unauthorized();');
  });

  it('"ask" suggests a re-run that keeps --sarif and --context (dropping them would skip the SARIF file)', async () => {
    const r0 = setup({ pr_cross_review: 'ask' });
    change(r0);
    const s = scripted([{ json: ISSUES() }]);
    const asked = await runHandler(
      'review diff',
      makeReviewDiff(s.invoke),
      ['--sarif', 'out.sarif', '--context', '5'],
      r0.dir,
    );
    expect(asked.code).toBe(EXIT.needs_confirmation);
    expect(asked.out).toContain('`mm review diff --sarif out.sarif --context 5 --yes`');
  });

  it('--with both shows the reviews side by side with agreements marked, and writes SARIF', async () => {
    const r0 = setup({ pr_cross_review: 'off' });
    change(r0);
    const s = scripted({ gemini: { json: ISSUES('src/auth.ts', 2) }, codex: { json: ISSUES('src/auth.ts', 2) } });
    const r = await runHandler(
      'review diff',
      makeReviewDiff(s.invoke),
      ['--with', 'both', '--sarif', 'out.sarif'],
      r0.dir,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('Agreed by both (1)');
    expect(s.calls.map((c) => c.target).sort()).toEqual(['codex', 'gemini']);
    expect(s.calls.find((c) => c.target === 'codex')!.request.sandbox).toBe('read-only');
    const sarif = JSON.parse(readFileSync(join(r0.dir, 'out.sarif'), 'utf8'));
    expect(sarif.runs).toHaveLength(2);
  });

  it('a reviewer that cannot run exits non-zero, still writes SARIF marking the failure', async () => {
    const r0 = setup({ pr_cross_review: 'auto' });
    change(r0);
    const r = await runHandler(
      'review diff',
      makeReviewDiff(scripted([{ status: 'unavailable' }]).invoke),
      ['--sarif', 'out.sarif', '--json'],
      r0.dir,
    );
    expect(r.code).toBe(EXIT.unavailable);
    expect(r.json().reviews[0].verdict).toBeUndefined();
    expect(JSON.parse(readFileSync(join(r0.dir, 'out.sarif'), 'utf8')).runs[0].invocations[0].executionSuccessful).toBe(
      false,
    );
  });

  it('"auto" skips a small change with no security pattern; LGTM when forced', async () => {
    const r0 = setup({ pr_cross_review: 'auto' });
    r0.write('notes.md', 'hello\n');
    const s = scripted([{ json: LGTM }]);
    const r = await runHandler('review diff', makeReviewDiff(s.invoke), [], r0.dir);
    expect(r.out).toContain('Skipped');
    const forced = await runHandler('review diff', makeReviewDiff(s.invoke), ['--yes'], r0.dir);
    expect(forced.out).toContain('LGTM');
    expect(s.calls[0]!.request.model).toBe('gemini-3-flash');
  });

  it('nothing changed → nothing to review', async () => {
    const r0 = setup({ pr_cross_review: 'auto' });
    const r = await runHandler('review diff', makeReviewDiff(scripted([{ json: LGTM }]).invoke), [], r0.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('nothing to review');
    expect(existsSync(join(r0.dir, '.claude/mm/runs'))).toBe(false);
  });
});
