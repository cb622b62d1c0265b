/**
 * Contract: steerable reviews through the BUILT mm and the REAL codex and gemini CLIs.
 * `--focus` and `--adversarial` must reach the prompt the model server receives, `--model`
 * must pick the reviewer, findings carry a line range and a confidence, and consensus
 * stances reach each model's own prompt.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codexEnv, codexPromptOf, geminiEnv, geminiPromptOf, startCodexFake, startGeminiFake } from '../fakes/index.ts';
import type { CodexFake, GeminiFake } from '../fakes/index.ts';
import { CONCERN, ISSUES } from '../fakes/scripted-invoke.ts';
import { CODEX_BIN, GEMINI_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';

let codex: CodexFake;
let gemini: GeminiFake;
let env: NodeJS.ProcessEnv;
const repos: TempRepo[] = [];

beforeAll(async () => {
  [codex, gemini] = await Promise.all([startCodexFake(), startGeminiFake()]);
  const home = mkdtempSync(join(tmpdir(), 'mm-steer-'));
  env = { ...codexEnv(codex, home), ...geminiEnv(gemini, home), ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' };
});
afterAll(() => Promise.all([codex.close(), gemini.close()]));
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
  Object.assign(codex.options, { fault: 'none', reply: 'unset' });
  Object.assign(gemini.options, { fault: 'none', reply: 'unset' });
});

function project(): TempRepo {
  const repo = tempRepo();
  repos.push(repo);
  writeProjectConfig(
    repo.dir,
    `[models]\ncodex_enabled = true\ngemini_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n[models.gemini]\ncommand = "${GEMINI_BIN}"\n`,
  );
  repo.write('.gitignore', '.claude/\n');
  repo.write('src/auth.ts', 'export const check = (token: string, given: string) => token === given;\n');
  repo.commitAll('base');
  return repo;
}

/** Runs the built mm; returns what each fake received during the run. */
function run(args: string[], r: TempRepo) {
  return runWith(mmAsync, args, r);
}

/**
 * The same in-process (test/helpers/mm-in.ts; a real CLI is then the test worker's child):
 * for usage errors and for what mm makes of a CLI's answer. One built-binary run per
 * command (review plan, review diff, consensus) stays on run().
 */
function runIn(args: string[], r: TempRepo) {
  return runWith(mmIn, args, r);
}

async function runWith(runner: typeof mmAsync, args: string[], r: TempRepo) {
  const before = { codex: codex.calls().length, gemini: gemini.calls().length };
  const out = await runner(args, { cwd: r.dir, env });
  return { ...out, codex: codex.calls().slice(before.codex), gemini: gemini.calls().slice(before.gemini) };
}

const FOCUS = 'the token comparison and timing attacks';

describe('mm review plan --focus --adversarial → real codex', () => {
  it('both reach the prompt; the plan is numbered; findings carry plan lines and a confidence', async () => {
    const r0 = project();
    r0.write('plan.md', '# Plan\n\n1. Add login\n2. Compare tokens\n3. Ship\n');
    codex.options.reply = JSON.stringify({
      ...CONCERN,
      findings: [{ ...CONCERN.findings[0], line_start: 4, line_end: 4, confidence: 0.8 }],
    });
    const r = await run(['review', 'plan', 'plan.md', '--focus', FOCUS, '--adversarial', '--yes'], r0);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const prompt = codexPromptOf(r.codex[0]!);
    expect(prompt).toContain(`The user asked you to focus on: ${FOCUS}`);
    expect(prompt).toContain('Review ADVERSARIALLY');
    expect(prompt).toContain('hidden assumptions');
    expect(prompt).toContain('simpler alternatives');
    expect(prompt).toContain('4| 2. Compare tokens');
    expect(prompt).toContain('"confidence" from 0 to 1');
    expect(r.codex[0]!.body.text.format.schema.properties.findings.items.properties.confidence).toBeDefined();
    expect(r.stdout).toContain('plan line 4');
    expect(r.stdout).toContain('(confidence 0.80)');
  });

  it('without the flags the prompt has neither; "ask" mode keeps them in the command to re-run', async () => {
    const r0 = project();
    writeProjectConfig(
      r0.dir,
      `[models]\ncodex_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n[checkpoints]\nplan_review = "ask"\n`,
    );
    r0.write('plan.md', '# Plan\n\n1. Add login\n');
    codex.options.reply = JSON.stringify({ verdict: 'PASS', summary: 'ok', findings: [] });
    const plain = await runIn(['review', 'plan', 'plan.md', '--yes'], r0);
    expect(plain.code).toBe(0);
    expect(codexPromptOf(plain.codex[0]!)).not.toContain('ADVERSARIALLY');
    expect(codexPromptOf(plain.codex[0]!)).not.toContain('focus on');
    const asked = await runIn(['review', 'plan', 'plan.md', '--focus', "the user's data", '--adversarial'], r0);
    expect(asked.code).toBe(3);
    expect(asked.stdout).toContain(`--focus 'the user'\\''s data' --adversarial`);
    expect(asked.codex).toHaveLength(0);
  });
});

describe('mm review diff steering', () => {
  it('--model gpt-5.2 picks the Codex reviewer; --focus and --adversarial reach its prompt; confidence is shown', async () => {
    const r0 = project();
    r0.write('src/auth.ts', 'export const check = (token: string, given: string) => token == given;\n');
    codex.options.reply = JSON.stringify({
      ...ISSUES('src/auth.ts', 1),
      findings: [{ ...ISSUES('src/auth.ts', 1).findings[0], confidence: 0.9 }],
    });
    const r = await run(
      ['review', 'diff', '--model', 'gpt-5.2', '--focus', FOCUS, '--adversarial', '--yes', '--json'],
      r0,
    );
    expect(r.code).toBe(0);
    expect(r.gemini).toHaveLength(0);
    expect(r.codex).toHaveLength(1);
    expect(r.codex[0]!.body.model).toBe('gpt-5.2');
    const prompt = codexPromptOf(r.codex[0]!);
    expect(prompt).toContain(`The user asked you to focus on: ${FOCUS}`);
    expect(prompt).toContain('Review ADVERSARIALLY');
    const review = r.json().reviews[0];
    expect(review.reviewer).toMatchObject({
      provider: 'codex',
      model: 'gpt-5.2',
      why: 'requested with --model gpt-5.2',
    });
    expect(review.verdict.findings[0]).toMatchObject({ line_start: 1, line_end: 1, confidence: 0.9 });
  });

  it('--focus reaches the default Gemini reviewer too', async () => {
    const r0 = project();
    r0.write('src/auth.ts', 'export const check = (token: string, given: string) => token == given;\n');
    gemini.options.reply = JSON.stringify(ISSUES('src/auth.ts', 1));
    const r = await runIn(['review', 'diff', '--focus', FOCUS, '--with', 'gemini', '--yes'], r0);
    expect(r.code).toBe(0);
    expect(r.gemini).toHaveLength(1);
    expect(geminiPromptOf(r.gemini[0]!)).toContain(`The user asked you to focus on: ${FOCUS}`);
    expect(geminiPromptOf(r.gemini[0]!)).not.toContain('ADVERSARIALLY');
  });

  it('refuses a --model that cannot review or contradicts --with, and an empty --focus (exit 2, no call)', async () => {
    const r0 = project();
    r0.write('src/auth.ts', 'changed\n');
    const cases: Array<[string[], string]> = [
      [['--model', 'claude-opus-4-6'], 'reviews take a Codex or Gemini model'],
      [['--model', 'gpt-5.2', '--with', 'gemini'], 'is a codex model, not gemini'],
      [['--model', 'gpt-5.2', '--with', 'both'], 'cannot be combined with --with both'],
      [['--model', 'no-such-model'], 'no-such-model'],
      [['--focus', '  '], '--focus needs the text'],
    ];
    for (const [flags, message] of cases) {
      const r = await runIn(['review', 'diff', ...flags, '--yes'], r0);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.codex.length + r.gemini.length).toBe(0);
    }
  });
});

describe('mm consensus --stance', () => {
  const answer = (position: string) =>
    JSON.stringify({ position, answer: `Use ${position}.`, confidence: 'medium', claims: [] });

  // Stances are set per participant before any provider is called: two models behind the
  // real codex CLI prove it as well as codex + gemini would (the Gemini prompt path keeps its
  // own case above), and the prompts tell them apart by the model on the wire.
  it('each model gets its own stance in its own prompt, and the results name it', async () => {
    const r0 = project();
    r0.write('proposal.md', 'Should we rewrite the auth module in Rust?');
    codex.options.reply = (req) => answer(req.body.model === 'gpt-5.2' ? 'no' : 'yes');
    const r = await run(
      [
        'consensus',
        '--models',
        'gpt-5.3-codex,gpt-5.2',
        '--stance',
        'gpt-5.3-codex=for,gpt-5.2=against',
        '--prompt-file',
        'proposal.md',
        '--json',
      ],
      r0,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.codex.map((q) => q.body.model).sort()).toEqual(['gpt-5.2', 'gpt-5.3-codex']);
    expect(r.gemini).toHaveLength(0);
    const promptOf = (model: string) => codexPromptOf(r.codex.find((q) => q.body.model === model)!);
    const forPrompt = promptOf('gpt-5.3-codex');
    const againstPrompt = promptOf('gpt-5.2');
    expect(forPrompt).toContain('Your assigned stance is FOR');
    expect(forPrompt).not.toContain('AGAINST');
    expect(againstPrompt).toContain('Your assigned stance is AGAINST');
    expect(againstPrompt).not.toContain('stance is FOR');
    for (const p of [forPrompt, againstPrompt]) expect(p).toContain('Should we rewrite the auth module in Rust?');
    expect(r.json().results.map((x: { label: string; stance: string }) => [x.label, x.stance])).toEqual([
      ['gpt-5.3-codex', 'for'],
      ['gpt-5.2', 'against'],
    ]);
  });

  it('a stance for a model not in --models, or an unknown stance, is a usage error before any call', async () => {
    const r0 = project();
    r0.write('q.md', 'Which queue?');
    for (const [stance, message] of [
      ['local=for', 'not one of --models'],
      ['codex=maybe', 'must be for, against or neutral'],
      ['codex', 'must read MODEL=for|against|neutral'],
      ['codex=for,codex=against', 'two stances'],
    ] as const) {
      const r = await runIn(['consensus', '--models', 'codex,gemini', '--stance', stance, '--prompt-file', 'q.md'], r0);
      expect(r.code, stance).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.codex.length + r.gemini.length).toBe(0);
    }
  });
});
