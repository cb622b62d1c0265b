/**
 * Contract: the BUILT `mm review plan`, `mm escalate debug`, `mm consensus` and the Stop hook
 * drive the REAL codex and gemini CLIs against fake model servers. Asserts what the
 * CLIs actually sent (model, effort, prompt, schema, sandbox, cwd), the parsed verdicts,
 * the exit codes, that a checkpoint never falls back to a different reviewer (a reachable
 * Claude API is served by a fake that must stay silent), and that debug escalation never
 * touches the user's working tree.
 */
import { spawn } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RECHECK_INSTRUCTION } from '../../src/providers/task-kinds.ts';
import { codexPromptOf, geminiModelOf, geminiPromptOf } from '../fakes/index.ts';
import { BLOCK, CONCERN, ISSUES, PASS } from '../fakes/scripted-invoke.ts';
import type { TempRepo } from '../helpers/repo.ts';
import {
  codex,
  claude,
  cwdOf,
  env,
  gemini,
  json,
  PLAN,
  project,
  run,
  runIn,
  sandboxOf,
  useCheckpointFakes,
} from './checkpoints-harness.ts';

useCheckpointFakes();

describe('mm review plan → real codex', () => {
  it('"ask" exits 3 without running a CLI; --yes sends the §5.1 prompt, schema, model and effort read-only; mm runs show lists both', async () => {
    const r0 = project();
    r0.write('plan.md', PLAN);
    const asked = await runIn(['review', 'plan', 'plan.md'], r0);
    expect(asked.code).toBe(3);
    expect(asked.stdout).toContain('--yes');
    expect(asked.codex).toHaveLength(0);

    codex.options.reply = json(PASS);
    const r = await run(['review', 'plan', 'plan.md', '--yes'], r0);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Plan review of plan.md by gpt-5.3-codex: PASS');
    expect(r.codex).toHaveLength(1);
    const req = r.codex[0]!;
    expect(req.body.model).toBe('gpt-5.3-codex');
    expect(req.body.reasoning.effort).toBe('medium'); // effort_policy.plan_review.codex
    expect(req.body.text.format).toMatchObject({ type: 'json_schema', strict: true });
    expect(req.body.text.format.schema.properties.verdict.enum).toEqual(['PASS', 'CONCERN', 'BLOCK']);
    expect(req.body.text.format.schema.properties.findings.items.required).toEqual([
      'severity',
      'area',
      'detail',
      'recommendation',
      'file',
      'line_start',
      'line_end',
      'confidence',
    ]);
    const prompt = codexPromptOf(req);
    for (const line of [
      'Missing edge cases or error scenarios',
      'Security gaps',
      'Feasibility concerns',
      'Task ordering issues',
      'Missing test coverage',
    ])
      expect(prompt).toContain(line);
    expect(prompt).toContain('- [ ] Task 22: step 22');
    expect(sandboxOf(req)).toBe('read-only');
    expect(cwdOf(req)).toBe(realpathSync(r0.dir));
    expect(r.gemini).toHaveLength(0);
    expect(r.claude).toHaveLength(0);

    const shown = await runIn(['runs', 'show'], r0);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/plan_review.*ask/);
    expect(shown.stdout).toMatch(/plan_review.*run/);
    expect(shown.stdout).toMatch(/plan.*gpt-5\.3-codex: PASS/);
    const shownJson = (await runIn(['runs', 'show', '--json'], r0)).json();
    expect(shownJson.checkpoints.map((c: { action: string }) => c.action)).toEqual(['ask', 'run']);
    expect(shownJson.reviews).toEqual([expect.objectContaining({ kind: 'plan', outcome: 'gpt-5.3-codex: PASS' })]);
  });

  it.each([
    ['CONCERN', CONCERN],
    ['BLOCK', BLOCK],
  ])('parses a %s verdict with its findings (--json)', async (word, reply) => {
    const r0 = project('plan_review = "auto"');
    r0.write('plan.md', PLAN);
    codex.options.reply = json(reply);
    const r = await runIn(['review', 'plan', 'plan.md', '--json'], r0);
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.checkpoint.action).toBe('run');
    expect(out.review.verdict.verdict).toBe(word);
    expect(out.review.verdict.findings[0].area).toBe(reply.findings[0]!.area);
  });

  it('malformed JSON → exit 14, no verdict, and no fallback to another reviewer', async () => {
    const r0 = project();
    r0.write('plan.md', PLAN);
    codex.options.reply = 'PASS — looks good to me!';
    const r = await runIn(['review', 'plan', 'plan.md', '--yes'], r0);
    expect(r.code).toBe(14);
    expect(r.stdout).toContain('COULD NOT RUN (invalid_output)');
    expect(r.stdout).not.toMatch(/: (PASS|CONCERN|BLOCK)\b/);
    expect(r.codex).toHaveLength(1);
    expect(r.gemini).toHaveLength(0);
    expect(r.claude).toHaveLength(0);
  });

  it('a 429 → exit 12 (rate_limited), never a verdict', async () => {
    const r0 = project();
    r0.write('plan.md', PLAN);
    codex.options.fault = 'rate_limit';
    const r = await runIn(['review', 'plan', 'plan.md', '--yes', '--json'], r0);
    expect(r.code).toBe(12);
    expect(r.json().review.verdict).toBeUndefined();
    expect(r.claude).toHaveLength(0);
  });
});

const ANALYSIS = {
  root_cause: 'add() subtracts.',
  confidence: 'high',
  evidence: ['add(2, 2) returns 0'],
  reproduced: false,
  rechecked_against_repo: true,
  proposed_fix: { summary: 'Use +.', files: [{ path: 'src/util.ts', change: 'a + b' }] },
  next_steps: ['add a test for add()'],
};

describe('mm escalate debug --option codex → real codex', () => {
  function stalled(): TempRepo {
    const r0 = project();
    r0.write('src/util.ts', 'export const add = (a: number, b: number) => a - b; // uncommitted\n');
    r0.write('error.txt', 'AssertionError: expected 0 to be 4\n    at test/util.test.ts:3:20\n');
    r0.write('tried.md', '- checked the test\n- re-ran it\n');
    return r0;
  }
  const treeOf = (r0: TempRepo) => ({
    status: r0.git('status', '--porcelain'),
    util: readFileSync(join(r0.dir, 'src/util.ts'), 'utf8'),
    worktrees: r0.git('worktree', 'list'),
  });

  it('asks first (exit 3, nothing sent); with --yes sends error, tried and the re-check line at xhigh, read-only', async () => {
    const r0 = stalled();
    const asked = await runIn(
      ['escalate', 'debug', '--error', 'error.txt', '--tried', 'tried.md', '--cycles', '2', '--option', 'codex'],
      r0,
    );
    expect(asked.code).toBe(3);
    expect(asked.codex).toHaveLength(0);

    const before = treeOf(r0);
    codex.options.reply = json(ANALYSIS);
    const r = await runIn(
      [
        'escalate',
        'debug',
        '--error',
        'error.txt',
        '--tried',
        'tried.md',
        '--cycles',
        '2',
        '--option',
        'codex',
        '--yes',
        '--files',
        'src/util.ts',
      ],
      r0,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('add() subtracts.');
    expect(r.stdout).toContain('NOT applied');
    const req = r.codex[0]!;
    expect(req.body.model).toBe('gpt-5.3-codex');
    expect(req.body.reasoning.effort).toBe('xhigh'); // effort_policy.debugging_escalated.codex
    expect(req.body.text.format.schema.properties.root_cause).toBeDefined();
    const prompt = codexPromptOf(req);
    expect(prompt).toContain('AssertionError: expected 0 to be 4');
    expect(prompt).toContain('- checked the test');
    expect(prompt).toContain('src/util.ts');
    expect(prompt.split(RECHECK_INSTRUCTION).length - 1).toBe(1);
    // Codex reads the repository read-only; only the sandbox option (debug-sandbox.contract.test.ts) writes.
    expect(sandboxOf(req)).toBe('read-only');
    expect(cwdOf(req)).toBe(realpathSync(r0.dir));
    expect(treeOf(r0)).toEqual(before);
    expect(r.claude).toHaveLength(0);
  });

  it('--option gemini: Gemini Pro gets the same error context and re-check line, read-only in the repo', async () => {
    const r0 = stalled();
    const before = treeOf(r0);
    gemini.options.reply = json(ANALYSIS);
    const r = await runIn(
      [
        'escalate',
        'debug',
        '--error',
        'error.txt',
        '--tried',
        'tried.md',
        '--cycles',
        '2',
        '--option',
        'gemini',
        '--yes',
        '--json',
      ],
      r0,
    );
    expect(r.code).toBe(0);
    expect(r.json().result.analysis.root_cause).toBe('add() subtracts.');
    expect(r.gemini.map(geminiModelOf)).toEqual(['gemini-3.1-pro-preview']);
    const prompt = geminiPromptOf(r.gemini[0]!);
    expect(prompt).toContain('AssertionError: expected 0 to be 4');
    expect(prompt).toContain('- re-ran it');
    expect(prompt).toContain('Read the repository; do not modify it.');
    expect(prompt.split(RECHECK_INSTRUCTION).length - 1).toBe(1);
    expect(r.codex).toHaveLength(0);
    expect(treeOf(r0)).toEqual(before);
  });

  it('malformed JSON → exit 14 and no fallback; the tree is untouched', async () => {
    const r0 = stalled();
    const before = treeOf(r0);
    codex.options.reply = 'The bug is in add().';
    const r = await runIn(
      ['escalate', 'debug', '--error', 'error.txt', '--cycles', '3', '--option', 'codex', '--yes'],
      r0,
    );
    expect(r.code).toBe(14);
    expect(r.stdout).toContain('COULD NOT RUN');
    expect(r.gemini).toHaveLength(0);
    expect(r.claude).toHaveLength(0);
    expect(treeOf(r0)).toEqual(before);
  });
});

describe('mm consensus → real codex and gemini', () => {
  const answer = (position: string) =>
    json({
      position,
      answer: `Use ${position}.`,
      confidence: 'medium',
      claims: [{ claim: 'the queue drops messages under load', kind: 'behaviour' }],
    });

  it('both answer the same question in structured form; agreement is reported', async () => {
    const r0 = project();
    r0.write('question.md', 'Should the worker use a bounded queue?');
    codex.options.reply = answer('bounded queue');
    gemini.options.reply = answer('bounded queue');
    const r = await run(['consensus', '--models', 'codex,gemini', '--prompt-file', 'question.md', '--json'], r0);
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.comparison.positionsAgree).toBe(true);
    expect(out.comparison.sharedClaims).toHaveLength(1);
    expect(codexPromptOf(r.codex[0]!)).toContain('Should the worker use a bounded queue?');
    expect(r.codex[0]!.body.text.format.schema.properties.position).toBeDefined();
    expect(geminiPromptOf(r.gemini[0]!)).toContain('Should the worker use a bounded queue?');
    expect(r.claude).toHaveLength(0);
  });

  // Which provider fails does not matter to consensus: two models behind the real codex CLI,
  // one rate-limited, prove it without a second gemini launch.
  it('a model that cannot answer → exit 12, no consensus, no stand-in model', async () => {
    const r0 = project();
    r0.write('question.md', 'Should the worker use a bounded queue?');
    codex.options.reply = answer('bounded queue');
    Object.assign(codex.options, { fault: 'rate_limit', faultModel: 'gpt-5.2' });
    const r = await runIn(['consensus', '--models', 'gpt-5.3-codex,gpt-5.2', '--prompt-file', 'question.md'], r0);
    expect(r.codex.map((q) => q.body.model)).toContain('gpt-5.3-codex');
    expect(r.stdout).toMatch(/gpt-5\.2.*COULD NOT RUN \(rate_limited\)/);
    expect(r.code).toBe(12);
    expect(r.stdout).toContain('COULD NOT RUN (rate_limited)');
    expect(r.stdout).toContain('Fewer than two models answered');
    expect(r.claude).toHaveLength(0);
  });
});

describe("the pack's Stop hook → real gemini", () => {
  const HOOK_SCRIPT = fileURLToPath(new URL('../../scripts/hooks/stop-review.cjs', import.meta.url));
  const hookJson = (dir: string, active = false) =>
    JSON.stringify({
      session_id: 'sess-1',
      transcript_path: join(dir, '.t.jsonl'),
      cwd: dir,
      permission_mode: 'default',
      hook_event_name: 'Stop',
      stop_hook_active: active,
    });
  /** The hook as Claude Code runs it: hook JSON on stdin (async: the fakes live in this process). */
  const hook = (r0: TempRepo, active = false) =>
    new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [HOOK_SCRIPT], {
        cwd: r0.dir,
        env: { ...process.env, MM_CONFIG: '', MM_RUN_ID: '', ...env },
      });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
      child.stdin.end(hookJson(r0.dir, active));
    });

  it('"auto" + a security change: blocks the stop with the findings; stop_hook_active → silent; a malformed reply fails open', async () => {
    const r0 = project('pr_cross_review = "auto"');
    r0.write('src/auth.ts', 'export const checkAuthToken = (token: string, given: string) => token == given;\n');
    gemini.options.reply = json(ISSUES('src/auth.ts', 1));
    const blocked = await hook(r0);
    expect(blocked.code).toBe(0);
    const out = JSON.parse(blocked.stdout);
    expect(out.decision).toBe('block');
    expect(out.reason).toContain('src/auth.ts:1');
    expect(gemini.calls().at(-1)!.path).toContain('gemini-3.1-pro-preview');

    const again = await hook(r0, true);
    expect([again.code, again.stdout]).toEqual([0, '']);

    r0.write(
      'src/auth.ts',
      'export const checkAuthToken = (token: string, given: string) => token === given || !given;\n',
    );
    gemini.options.reply = 'LGTM!';
    const before = { codex: codex.calls().length, claude: claude.calls().length };
    const open = await hook(r0);
    expect(open.code).toBe(0);
    const notice = JSON.parse(open.stdout);
    expect(notice.decision).toBeUndefined();
    expect(notice.systemMessage).toMatch(/could not run \(invalid_output/);
    expect(notice.systemMessage).toContain('NOT a pass');
    expect([codex.calls().length, claude.calls().length]).toEqual([before.codex, before.claude]);
  });
});
