/**
 * Contract: the BUILT `mm review plan|diff`, `mm escalate debug` and `mm consensus`
 * drive the REAL codex and gemini CLIs against fake model servers. Asserts what the
 * CLIs actually sent (model, effort, prompt, schema, sandbox, cwd), the parsed verdicts,
 * the exit codes, that a checkpoint never falls back to a different reviewer (a reachable
 * Claude API is served by a fake that must stay silent), and that debug escalation never
 * touches the user's working tree.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RECHECK_INSTRUCTION } from '../../src/providers/task-kinds.ts';
import {
  codexEnv,
  codexPromptOf,
  geminiEnv,
  geminiModelOf,
  geminiPromptOf,
  startAnthropicFake,
  startCodexFake,
  startGeminiFake,
} from '../fakes/index.ts';
import type { AnthropicFake, CodexFake, GeminiFake, RecordedRequest } from '../fakes/index.ts';
import { BLOCK, CONCERN, ISSUES, LGTM, PASS } from '../fakes/scripted-invoke.ts';
import { CODEX_BIN, GEMINI_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';

let codex: CodexFake;
let gemini: GeminiFake;
let claude: AnthropicFake;
let env: NodeJS.ProcessEnv;
let repo: TempRepo | undefined;

beforeAll(async () => {
  [codex, gemini, claude] = await Promise.all([
    startCodexFake(),
    startGeminiFake(),
    startAnthropicFake({ reply: 'claude should never be asked' }),
  ]);
  const home = mkdtempSync(join(tmpdir(), 'mm-checkpoints-'));
  // Claude is reachable: a checkpoint that silently fell back to it would show up in claude.calls().
  env = {
    ...codexEnv(codex, home),
    ...geminiEnv(gemini, home),
    ANTHROPIC_BASE_URL: claude.url,
    ANTHROPIC_API_KEY: 'fake-anthropic-key',
  };
});
afterAll(() => Promise.all([codex.close(), gemini.close(), claude.close()]));
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
  Object.assign(codex.options, { fault: 'none', reply: 'unset' });
  Object.assign(gemini.options, { fault: 'none', faultModel: undefined, reply: 'unset' });
});

function project(checkpoints = 'plan_review = "ask"\npr_cross_review = "ask"\ndebug_escalation = "ask"'): TempRepo {
  repo = tempRepo();
  writeProjectConfig(
    repo.dir,
    `[models]\ncodex_enabled = true\ngemini_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n[models.gemini]\ncommand = "${GEMINI_BIN}"\n[checkpoints]\n${checkpoints}\n`,
  );
  repo.write('.gitignore', '.claude/\n');
  repo.write('src/util.ts', 'export const add = (a: number, b: number) => a + b;\n');
  repo.write('src/auth.ts', 'export const checkAuthToken = (token: string, given: string) => token === given;\n');
  repo.commitAll('base');
  return repo;
}

/** Runs the built mm; returns what each fake received during the run. */
async function run(args: string[], r: TempRepo) {
  const before = { codex: codex.calls().length, gemini: gemini.calls().length, claude: claude.calls().length };
  const out = await mmAsync(args, { cwd: r.dir, env });
  return {
    ...out,
    codex: codex.calls().slice(before.codex),
    gemini: gemini.calls().slice(before.gemini),
    claude: claude.calls().slice(before.claude),
  };
}

const json = (v: unknown) => JSON.stringify(v);
/** What Codex told the model about its sandbox and working directory. */
const sandboxOf = (req: RecordedRequest) => /`sandbox_mode` is `([a-z-]+)`/.exec(JSON.stringify(req.body.input))?.[1];
const cwdOf = (req: RecordedRequest) => /<cwd>([^<]+)<\/cwd>/.exec(JSON.stringify(req.body.input))?.[1];
const PLAN = `# Plan\n\n${Array.from({ length: 22 }, (_, i) => `- [ ] Task ${i + 1}: step ${i + 1}`).join('\n')}\n`;

describe('mm review plan → real codex', () => {
  it('"ask" exits 3 without running a CLI; --yes sends the §5.1 prompt, schema, model and effort read-only; mm runs show lists both', async () => {
    const r0 = project();
    r0.write('plan.md', PLAN);
    const asked = await run(['review', 'plan', 'plan.md'], r0);
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

    const shown = await run(['runs', 'show'], r0);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/plan_review.*ask/);
    expect(shown.stdout).toMatch(/plan_review.*run/);
    expect(shown.stdout).toMatch(/plan.*gpt-5\.3-codex: PASS/);
    const shownJson = (await run(['runs', 'show', '--json'], r0)).json();
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
    const r = await run(['review', 'plan', 'plan.md', '--json'], r0);
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
    const r = await run(['review', 'plan', 'plan.md', '--yes'], r0);
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
    const r = await run(['review', 'plan', 'plan.md', '--yes', '--json'], r0);
    expect(r.code).toBe(12);
    expect(r.json().review.verdict).toBeUndefined();
    expect(r.claude).toHaveLength(0);
  });
});

describe('mm review diff → real gemini / codex', () => {
  it('--help documents that a checkpoint review never falls back to another reviewer', async () => {
    for (const cmd of [['review', 'diff'], ['review', 'plan'], ['escalate', 'debug'], ['consensus']]) {
      const help = await mmAsync([...cmd, '--help']);
      expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/no fallback|never replaced by another/i);
    }
  });

  it('a small change with no security pattern goes to Gemini Flash with the §5.2 prompt and numbered hunks: LGTM', async () => {
    const r0 = project();
    r0.write(
      'src/util.ts',
      'export const add = (a: number, b: number) => a + b;\nexport const sub = (a: number, b: number) => a - b;\n',
    );
    gemini.options.reply = json(LGTM);
    const r = await run(['review', 'diff', '--yes'], r0);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Diff review by gemini-3-flash');
    expect(r.stdout).toContain(': LGTM');
    expect(r.gemini.map(geminiModelOf)).toEqual(['gemini-3-flash-preview']);
    const prompt = geminiPromptOf(r.gemini[0]!);
    for (const line of [
      'Bugs or logic errors',
      'Security vulnerabilities (OWASP top 10)',
      'Performance regressions',
      'Missing error handling',
      'Style inconsistencies',
    ])
      expect(prompt).toContain(line);
    expect(prompt).toContain('2+export const sub = (a: number, b: number) => a - b;');
    expect(prompt).toContain('### src/util.ts');
    // The JSON Schema goes to Gemini once (the prompt's contract), not twice.
    expect(prompt.split('"LGTM","ISSUES"').length - 1).toBe(1);
    expect(r.codex).toHaveLength(0);
    expect(r.claude).toHaveLength(0);
  });

  it('a security-sensitive file goes to Gemini Pro; ISSUES with file:line, and --sarif writes the findings', async () => {
    const r0 = project();
    r0.write('src/auth.ts', 'export const checkAuthToken = (token: string, given: string) => token == given;\n');
    gemini.options.reply = json(ISSUES('src/auth.ts', 1));
    const r = await run(['review', 'diff', '--yes', '--sarif', 'review.sarif'], r0);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(': ISSUES');
    expect(r.stdout).toContain('src/auth.ts:1');
    expect(r.gemini.map(geminiModelOf)).toEqual(['gemini-3.1-pro-preview']);
    const sarif = JSON.parse(readFileSync(join(r0.dir, 'review.sarif'), 'utf8'));
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(true);
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'mm-review/high', level: 'error' });
    expect(sarif.runs[0].results[0].locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'src/auth.ts' },
      region: { startLine: 1 },
    });
  });

  it('above chunking_threshold the packet is split by file, each part reviewed, and the verdicts merged (one ISSUES → ISSUES)', async () => {
    const r0 = project();
    writeProjectConfig(
      r0.dir,
      `${readFileSync(join(r0.dir, '.claude/config/multi-model.toml'), 'utf8').replace('[models.gemini]', '[models.gemini]\nchunking_threshold = 60')}`,
    );
    r0.write(
      'src/util.ts',
      'export const add = (a: number, b: number) => a - b; // a line long enough to fill a small chunk on its own\n',
    );
    r0.write(
      'src/auth.ts',
      'export const checkAuthToken = (token: string, given: string) => token == given; // long enough for its own chunk too\n',
    );
    gemini.options.reply = (req) =>
      json(geminiPromptOf(req).includes('### src/auth.ts') ? ISSUES('src/auth.ts', 1) : LGTM);
    const r = await run(['review', 'diff', '--yes', '--json'], r0);
    expect(r.code).toBe(0);
    const review = r.json().reviews[0];
    expect(review.chunks).toBe(2);
    expect(review.verdict.verdict).toBe('ISSUES');
    expect(review.verdict.findings.map((f: { file: string }) => f.file)).toEqual(['src/auth.ts']);
    expect(r.gemini).toHaveLength(2);
    const prompts = r.gemini.map(geminiPromptOf);
    expect(prompts.filter((p) => p.includes('### src/auth.ts'))).toHaveLength(1);
    expect(prompts.filter((p) => p.includes('### src/util.ts'))).toHaveLength(1);
    expect(prompts.every((p) => /This is part [12] of 2 of the diff/.test(p))).toBe(true);
  });

  it('--with codex runs even when the checkpoint is off: gpt-5.2, code_review effort, schema as text.format, read-only', async () => {
    const r0 = project('pr_cross_review = "off"');
    r0.write('src/util.ts', 'export const add = (a: number, b: number) => a - b;\n');
    codex.options.reply = json(ISSUES('src/util.ts', 1));
    const r = await run(['review', 'diff', '--with', 'codex', '--json'], r0);
    expect(r.code).toBe(0);
    expect(r.json().reviews[0].verdict.verdict).toBe('ISSUES');
    const req = r.codex[0]!;
    expect(req.body.model).toBe('gpt-5.2');
    expect(req.body.reasoning.effort).toBe('medium');
    expect(req.body.text.format.schema.properties.verdict.enum).toEqual(['LGTM', 'ISSUES']);
    expect(sandboxOf(req)).toBe('read-only');
    expect(cwdOf(req)).toBe(realpathSync(r0.dir));
    expect(codexPromptOf(req)).toContain('1+export const add = (a: number, b: number) => a - b;');
    expect(r.gemini).toHaveLength(0);
  });

  it('--with both: the two reviews side by side with the agreement marked', async () => {
    const r0 = project();
    r0.write('src/util.ts', 'export const add = (a: number, b: number) => a - b;\n');
    codex.options.reply = json(ISSUES('src/util.ts', 1));
    gemini.options.reply = json(ISSUES('src/util.ts', 1));
    const r = await run(['review', 'diff', '--with', 'both'], r0);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Both say ISSUES.');
    expect(r.stdout).toContain('Agreed by both (1)');
    expect(r.codex).toHaveLength(1);
    expect(r.gemini).toHaveLength(1);
  });

  it('malformed JSON from Gemini → exit 14, COULD NOT RUN, and no silent fallback to Codex or Claude', async () => {
    const r0 = project();
    r0.write('src/util.ts', 'export const add = (a: number, b: number) => a - b;\n');
    gemini.options.reply = '{"verdict": "LGTM", "summary": "fine"'; // cut off mid-object
    const r = await run(['review', 'diff', '--yes', '--sarif', 'review.sarif'], r0);
    expect([13, 14]).toContain(r.code);
    expect(r.stdout).toContain('COULD NOT RUN');
    expect(r.stdout).not.toMatch(/: (LGTM|ISSUES)\b/);
    expect(r.codex).toHaveLength(0);
    expect(r.claude).toHaveLength(0);
    expect(
      JSON.parse(readFileSync(join(r0.dir, 'review.sarif'), 'utf8')).runs[0].invocations[0].executionSuccessful,
    ).toBe(false);
  });

  it('a 429 on Gemini Pro: the documented Pro→Flash retry answers, and the review says Flash answered', async () => {
    const r0 = project();
    r0.write('src/auth.ts', 'export const checkAuthToken = (token: string, given: string) => token == given;\n');
    Object.assign(gemini.options, { fault: 'rate_limit', faultModel: 'gemini-3.1-pro-preview', reply: json(LGTM) });
    const r = await run(['review', 'diff', '--yes', '--json'], r0);
    expect(r.code).toBe(0);
    expect(r.gemini.map(geminiModelOf)).toEqual(['gemini-3.1-pro-preview', 'gemini-3-flash-preview']);
    const review = r.json().reviews[0];
    expect(review.reviewer.model).toBe('gemini-3.1-pro');
    expect(review.answered_by).toEqual(['gemini-3-flash']);
    expect(r.codex).toHaveLength(0);
    expect(r.claude).toHaveLength(0);
  });

  it('a Flash reviewer that stays rate-limited (gemini-cli retries Flash 429s itself) → rate_limited within the timeout, exit 12, never a pass', async () => {
    const r0 = project();
    writeProjectConfig(
      r0.dir,
      `${readFileSync(join(r0.dir, '.claude/config/multi-model.toml'), 'utf8').replace('[models.gemini]', '[models.gemini]\ntimeout_seconds = 60')}`,
    );
    r0.write('src/util.ts', 'export const add = (a: number, b: number) => a - b;\n');
    gemini.options.fault = 'rate_limit';
    const r = await run(['review', 'diff', '--yes'], r0);
    expect(r.code).toBe(12);
    expect(r.stdout).toContain('COULD NOT RUN (rate_limited)');
    expect(r.codex).toHaveLength(0);
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
    const asked = await run(
      ['escalate', 'debug', '--error', 'error.txt', '--tried', 'tried.md', '--cycles', '2', '--option', 'codex'],
      r0,
    );
    expect(asked.code).toBe(3);
    expect(asked.codex).toHaveLength(0);

    const before = treeOf(r0);
    codex.options.reply = json(ANALYSIS);
    const r = await run(
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
    const r = await run(
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
    const r = await run(
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

  it('a model that cannot answer → exit 12, no consensus, no stand-in model', async () => {
    const r0 = project();
    r0.write('question.md', 'Should the worker use a bounded queue?');
    gemini.options.reply = answer('bounded queue');
    codex.options.fault = 'rate_limit';
    const r = await run(['consensus', '--models', 'codex,gemini', '--prompt-file', 'question.md'], r0);
    expect(r.code).toBe(12);
    expect(r.stdout).toContain('COULD NOT RUN (rate_limited)');
    expect(r.stdout).toContain('Fewer than two models answered');
    expect(r.claude).toHaveLength(0);
  });
});

describe("the pack's Stop hook → real gemini", () => {
  const HOOK_SCRIPT = fileURLToPath(new URL('../../scripts/hooks/stop-review.mjs', import.meta.url));
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
