/**
 * Contract: the BUILT `mm review diff` drives the REAL gemini and codex CLIs against fake
 * model servers. Asserts what the CLIs actually sent (model, effort, prompt, schema, sandbox,
 * cwd), the parsed verdicts, the exit codes, and that a checkpoint never falls back to a
 * different reviewer (a reachable Claude API is served by a fake that must stay silent).
 * The other checkpoints (plan review, debug escalation, consensus, the Stop hook) are in
 * checkpoints.contract.test.ts.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codexPromptOf, geminiModelOf, geminiPromptOf } from '../fakes/index.ts';
import { ISSUES, LGTM } from '../fakes/scripted-invoke.ts';
import { writeProjectConfig } from '../helpers/invoke-context.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import {
  codex,
  cwdOf,
  gemini,
  json,
  project,
  run,
  runIn,
  sandboxOf,
  useCheckpointFakes,
} from './checkpoints-harness.ts';

useCheckpointFakes();

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
    const r = await runIn(['review', 'diff', '--yes', '--sarif', 'review.sarif'], r0);
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
    const r = await runIn(['review', 'diff', '--yes', '--json'], r0);
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
    const r = await runIn(['review', 'diff', '--with', 'codex', '--json'], r0);
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
    const r = await runIn(['review', 'diff', '--with', 'both'], r0);
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
    const r = await runIn(['review', 'diff', '--yes', '--sarif', 'review.sarif'], r0);
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
    const r = await runIn(['review', 'diff', '--yes', '--json'], r0);
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
    const r = await runIn(['review', 'diff', '--yes'], r0);
    expect(r.code).toBe(12);
    expect(r.stdout).toContain('COULD NOT RUN (rate_limited)');
    expect(r.codex).toHaveLength(0);
    expect(r.claude).toHaveLength(0);
  });
});
