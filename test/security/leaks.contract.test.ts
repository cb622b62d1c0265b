/**
 * Contract: the attacker's corpus (test/security/corpus.ts) against the BUILT mm with the
 * REAL codex and gemini CLIs talking to loopback fakes. A case holds when its canary is in
 * no request any fake received (and, for the preview, not in what mm printed). The
 * tried/held/broke table is printed after the file (and written to $MM_CORPUS_OUT).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexEnv, geminiEnv, startAnthropicFake, startCodexFake, startGeminiFake } from '../fakes/index.ts';
import type { AnthropicFake, CodexFake, GeminiFake } from '../fakes/index.ts';
import { LGTM } from '../fakes/scripted-invoke.ts';
import { startGeminiFake as startAssetsGeminiFake } from '../assets/fakes/gemini.ts';
import { CODEX_BIN, GEMINI_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';
import {
  ATTACH_CASES,
  canary,
  OUTCOMES,
  privateKey,
  PROTOTYPE_CASES,
  REVIEW_PATH_CASES,
  SHAPE_CASES,
  STDIN_DIFF_CASES,
  tally,
} from './corpus.ts';

let codex: CodexFake;
let gemini: GeminiFake;
let claude: AnthropicFake;
let env: NodeJS.ProcessEnv;
const repos: TempRepo[] = [];

beforeAll(async () => {
  [codex, gemini, claude] = await Promise.all([
    startCodexFake({ reply: JSON.stringify(LGTM) }),
    startGeminiFake({ reply: JSON.stringify(LGTM) }),
    startAnthropicFake({ reply: JSON.stringify(LGTM) }),
  ]);
  const home = mkdtempSync(join(tmpdir(), 'mm-leaks-'));
  env = {
    ...codexEnv(codex, home),
    ...geminiEnv(gemini, home),
    ANTHROPIC_BASE_URL: claude.url,
    ANTHROPIC_API_KEY: 'fake-anthropic-key',
  };
});
afterAll(async () => {
  await Promise.all([codex.close(), gemini.close(), claude.close()]);
  for (const r of repos) r.cleanup();
  const table = tally(OUTCOMES);
  console.log(`\nleak corpus:\n${table}`);
  if (process.env.MM_CORPUS_OUT) writeFileSync(process.env.MM_CORPUS_OUT, `${table}\n`);
});

const CONFIG = (extra = '') =>
  `[models]\ncodex_enabled = true\ngemini_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n[models.gemini]\ncommand = "${GEMINI_BIN}"\n${extra}[checkpoints]\npr_cross_review = "auto"\n`;

/** Everything all fakes received while `fn` ran, as one string. */
async function sent<T>(fn: () => Promise<T>): Promise<{ out: T; wire: string }> {
  const before = [codex.requests.length, gemini.requests.length, claude.requests.length];
  const out = await fn();
  const wire = JSON.stringify([
    codex.requests.slice(before[0]).map((r) => r.body),
    gemini.requests.slice(before[1]).map((r) => r.body),
    claude.requests.slice(before[2]).map((r) => r.body),
  ]);
  return { out, wire };
}

/** Records each case's outcome; returns the ones that broke (for the assertion message). */
function judge(family: number, surface: string, cases: Array<{ id: string; canary: string }>, seen: string): string[] {
  const broke: string[] = [];
  for (const c of cases) {
    const held = !seen.includes(c.canary);
    OUTCOMES.push({ family, surface, id: c.id, held });
    if (!held) broke.push(c.id);
  }
  return broke;
}

const pathCanary = (id: string) => canary(`path:${id}`);
const shapeCanary = (id: string) => canary(`shape:${id}`);

/** The review repository: every path case in its change state, plus a file holding every secret shape. */
function reviewRepo(extraConfig = ''): TempRepo {
  const r = tempRepo();
  repos.push(r);
  writeProjectConfig(r.dir, CONFIG(extraConfig));
  r.write('.gitignore', '.claude/\n');
  r.write('src/app.ts', 'export const answer = 42;\n');
  for (const c of REVIEW_PATH_CASES) {
    if (c.change === 'modified') r.write(c.path, 'NOTE=old\n');
    if (c.change === 'deleted' || c.change === 'renamed-from') r.write(c.path, `NOTE=${pathCanary(c.id)}\n`);
  }
  r.commitAll('base');
  for (const c of REVIEW_PATH_CASES) {
    if (c.change === 'untracked' || c.change === 'modified') r.write(c.path, `NOTE=${pathCanary(c.id)}\n`);
    if (c.change === 'deleted') r.git('rm', '-q', c.path);
    if (c.change === 'renamed-from') {
      mkdirSync(dirname(join(r.dir, c.to!)), { recursive: true });
      r.git('mv', c.path, c.to!);
    }
  }
  r.write('src/app.ts', 'export const answer = 43;\n');
  r.write('src/settings.example.txt', SHAPE_CASES.map((s) => s.text(shapeCanary(s.id))).join('\n') + '\n');
  return r;
}

const pathCases = () => REVIEW_PATH_CASES.map((c) => ({ id: c.id, canary: pathCanary(c.id) }));
const shapeCases = () => SHAPE_CASES.map((c) => ({ id: c.id, canary: shapeCanary(c.id) }));

describe('review packets: secret paths and secret shapes never reach Codex or Gemini', () => {
  it('mm review diff --yes --with both (real codex + gemini)', async () => {
    const r = reviewRepo();
    // In-process: the subject is what reaches the real CLIs (still launched, against the fakes);
    // the Stop hook below keeps a built-binary run.
    const { out, wire } = await sent(() => mmIn(['review', 'diff', '--yes', '--with', 'both'], { cwd: r.dir, env }));
    expect(out.stderr).not.toMatch(/internal error/);
    expect(wire).toContain('answer = 43'); // the review did run and carried the ordinary change
    const broke = [...judge(1, 'review diff', pathCases(), wire), ...judge(2, 'review diff', shapeCases(), wire)];
    expect(broke).toEqual([]);
  });

  it('the Stop hook (pr_cross_review = "auto")', async () => {
    const r = reviewRepo();
    const input = JSON.stringify({ session_id: 's1', cwd: r.dir, hook_event_name: 'Stop', stop_hook_active: false });
    const { out, wire } = await sent(() => mmAsync(['hook', 'stop'], { cwd: r.dir, env, input }));
    expect(out.code).toBe(0);
    expect(wire).toContain('answer = 43');
    const broke = [...judge(1, 'hook stop', pathCases(), wire), ...judge(2, 'hook stop', shapeCases(), wire)];
    expect(broke).toEqual([]);
  });

  it('a private key split across review chunks is sent in no part', async () => {
    // Chunks of ~300 tokens: the key sits across the 200-line piece boundary of an untracked file.
    const r = reviewRepo('chunking_threshold = 300\n');
    const c = canary('split key');
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}: nothing to see`);
    const key = privateKey(c, 24).split('\n');
    r.write('docs/big-notes.txt', [...filler(190), ...key, ...filler(40)].join('\n') + '\n');
    const { out, wire } = await sent(() => mmIn(['review', 'diff', '--yes', '--with', 'codex'], { cwd: r.dir, env }));
    expect(wire, out.stderr + out.stdout).toContain('nothing to see');
    const broke = judge(1, 'review diff (chunked)', [{ id: 'private key split across chunks', canary: c }], wire);
    expect(broke).toEqual([]);
  });
});

describe('[secrets] on_secret = "refuse" holds for review packets too', () => {
  it('mm review diff --yes refuses (exit 2) and nothing reaches a fake', async () => {
    const r = reviewRepo('[secrets]\non_secret = "refuse"\n');
    const { out, wire } = await sent(() => mmIn(['review', 'diff', '--yes', '--with', 'codex'], { cwd: r.dir, env }));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/secret-looking strings .*nothing was sent/);
    expect(wire).toBe('[[],[],[]]');
  });
});

describe('mm review diff --dry-run shows exactly what would be sent', () => {
  it('text and --json previews hold no secret and name the withheld files', async () => {
    const r = reviewRepo();
    const text = await mmIn(['review', 'diff', '--dry-run'], { cwd: r.dir, env });
    const json = await mmIn(['review', 'diff', '--dry-run', '--json'], { cwd: r.dir, env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('answer = 43');
    const shown = text.stdout + json.stdout;
    const broke = [...judge(5, 'dry-run', pathCases(), shown), ...judge(5, 'dry-run', shapeCases(), shown)];
    const named = REVIEW_PATH_CASES.filter((c) => !c.path.includes('\t')).every((c) => text.stdout.includes(c.path));
    OUTCOMES.push({ family: 5, surface: 'dry-run', id: 'withheld files named', held: named });
    expect(broke).toEqual([]);
    expect(named).toBe(true);
  });
});

describe('git diff | mm ask: diff text on stdin gets the same path check', () => {
  // The path check runs in invokeModel before any provider is chosen; the real codex CLI
  // proves it as well as gemini would (review diff --with both keeps Gemini's packet covered).
  it('mm ask codex with a piped diff (quoted, tab-terminated, renamed, diff -u)', async () => {
    const r = tempRepo();
    repos.push(r);
    writeProjectConfig(r.dir, CONFIG());
    const cases = STDIN_DIFF_CASES.map((c) => ({ id: c.id, canary: canary(`stdin:${c.id}`) }));
    const diff = [
      'diff --git a/src/ok.ts b/src/ok.ts\nindex 1..2 100644\n--- a/src/ok.ts\n+++ b/src/ok.ts\n@@ -1 +1 @@\n-a\n+ordinary change\n',
      ...STDIN_DIFF_CASES.map((c, i) => c.section(cases[i]!.canary)),
    ].join('');
    const { wire } = await sent(() =>
      mmAsync(['ask', 'codex', '--task', 'code_review', '--no-fallback'], { cwd: r.dir, env, input: diff }),
    );
    expect(wire).toContain('ordinary change');
    expect(judge(1, 'stdin diff', cases, wire)).toEqual([]);
  });
});

describe('redaction of secret shapes in a prompt', () => {
  it('mm ask codex with every shape on stdin', async () => {
    const r = tempRepo();
    repos.push(r);
    writeProjectConfig(r.dir, CONFIG());
    const cases = SHAPE_CASES.map((c) => ({ id: c.id, canary: canary(`ask:${c.id}`) }));
    const prompt = `Explain this config:\n${SHAPE_CASES.map((s, i) => s.text(cases[i]!.canary)).join('\n')}\n`;
    const { wire } = await sent(() => mmAsync(['ask', 'codex', '--no-fallback'], { cwd: r.dir, env, input: prompt }));
    expect(wire).toContain('Explain this config');
    expect(judge(2, 'ask stdin', cases, wire)).toEqual([]);
  });
});

function plant(r: TempRepo, c: (typeof ATTACH_CASES)[number], value: string): void {
  if (c.target) {
    const target = join(dirname(join(r.dir, c.path)), c.target);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, c.content(value));
    mkdirSync(dirname(join(r.dir, c.path)), { recursive: true });
    symlinkSync(c.target, join(r.dir, c.path));
  } else r.write(c.path, c.content(value));
}

describe('credential files attached with --file/--files are withheld', () => {
  it('mm ask codex --file … (every credential file at once)', async () => {
    const r = tempRepo();
    repos.push(r);
    const globs = [...new Set(ATTACH_CASES.flatMap((c) => c.globs ?? []))];
    writeProjectConfig(r.dir, CONFIG(`[secrets]\nwithhold_paths = ${JSON.stringify(globs)}\n`));
    const cases = ATTACH_CASES.map((c) => ({ id: c.id, canary: canary(`attach:${c.id}`) }));
    ATTACH_CASES.forEach((c, i) => plant(r, c, cases[i]!.canary));
    r.write('src/ok.ts', 'export const ordinary = true;\n');
    const args = [
      'ask',
      'codex',
      '--no-fallback',
      '--file',
      'src/ok.ts',
      ...ATTACH_CASES.flatMap((c) => ['--file', c.path]),
    ];
    const { out, wire } = await sent(() => mmAsync(args, { cwd: r.dir, env, input: 'Summarise these files.' }));
    expect(out.stderr).not.toMatch(/internal error/);
    expect(wire).toContain('ordinary = true');
    expect(judge(3, 'ask --file', cases, wire)).toEqual([]);
  });

  it('mm escalate debug --files … (real codex, scratch worktree)', async () => {
    const r = tempRepo();
    repos.push(r);
    const globs = [...new Set(ATTACH_CASES.flatMap((c) => c.globs ?? []))];
    writeProjectConfig(r.dir, CONFIG(`[secrets]\nwithhold_paths = ${JSON.stringify(globs)}\n`));
    r.write('.gitignore', '.claude/\n');
    const cases = ATTACH_CASES.map((c) => ({ id: c.id, canary: canary(`escalate:${c.id}`) }));
    ATTACH_CASES.forEach((c, i) => plant(r, c, cases[i]!.canary));
    r.write('src/ok.ts', 'export const ordinary = true;\n');
    r.write('error.txt', 'TypeError: ordinary is not a function\n');
    r.commitAll('files of interest, committed so the scratch worktree has them');
    const args = ['escalate', 'debug', '--error', 'error.txt', '--cycles', '3', '--option', 'codex', '--yes'];
    for (const c of ['src/ok.ts', ...ATTACH_CASES.map((a) => a.path)]) args.push('--files', c);
    const { out, wire } = await sent(() => mmIn(args, { cwd: r.dir, env }));
    expect(out.stderr).not.toMatch(/internal error/);
    expect(wire, out.stderr).toContain('ordinary is not a function');
    expect(judge(3, 'escalate --files', cases, wire)).toEqual([]);
  });

  it('mm prototype --files (Gemini API) follows no symlink to a secret', async () => {
    const fake = await startAssetsGeminiFake({
      'gemini-3.1-pro-preview': { kind: 'text', text: '```ts file=src/a.ts\nexport const a = 2;\n```' },
    });
    try {
      const r = tempRepo();
      repos.push(r);
      writeProjectConfig(r.dir, `[models]\ngemini_enabled = true\n`);
      const cases = PROTOTYPE_CASES.map((c) => ({ id: c.id, canary: canary(`proto:${c.id}`) }));
      PROTOTYPE_CASES.forEach((c, i) => plant(r, c, cases[i]!.canary));
      r.write('src/a.ts', 'export const a = 1;\n');
      const args = ['prototype', '--feature', 'bump a', '--files', 'src/a.ts'];
      for (const c of PROTOTYPE_CASES) args.push('--files', c.path);
      const out = await mmIn(args, {
        cwd: r.dir,
        env: { ...env, GOOGLE_GEMINI_BASE_URL: fake.url, GEMINI_API_KEY: 'test-gemini-key' },
      });
      const wire = JSON.stringify(fake.bodies);
      expect(out.stderr).not.toMatch(/internal error/);
      expect(wire, out.stderr).toContain('export const a = 1');
      expect(judge(3, 'prototype --files', cases, wire)).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
