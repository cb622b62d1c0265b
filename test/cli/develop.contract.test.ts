/**
 * Contract: `mm develop` as the design's pipeline, through the BUILT mm, the REAL codex
 * CLI (Codex fake, answering per workstream), the Anthropic Messages fake (Phase 0's
 * Haiku, the synthesiser) and the Ollama fake (a workstream that fails, then resumes).
 * Assertions are on the fakes' request logs, the report and the user's tree.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicPromptOf, startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-server.ts';
import { codexEnv, codexPromptOf, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import { startOllamaFake, type LocalFake } from '../fakes/local-servers.ts';
import { CODEX_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';

import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempDir, tempRepo } from '../helpers/repo.ts';

/** Answers per workstream: implementation and tests both write src/impl.ts (a conflict). */
const ANSWERS: Record<string, string> = {
  schemas: '```ts\n// file: src/schema.ts\nexport type Schema = { id: string };\n```\n',
  implementation: '```ts\n// file: src/impl.ts\nexport const impl = "implementation";\n```\n',
  tests:
    '```ts\n// file: src/impl.ts\nexport const impl = "tests";\n```\n```ts\n// file: test/impl.test.ts\nimport "../src/impl";\n```\n',
  // Declares the schemas' exported type again, in another file: a symbol conflict.
  storage: '```ts\n// file: src/store.ts\nexport type Schema = { id: number };\nexport const store = 1;\n```\n',
};

/** Phase 0's graph from "Haiku": implementation and tests both build on the schemas only (parallel). */
const HAIKU_GRAPH = JSON.stringify({
  complexity: 'medium',
  workstreams: [
    { name: 'schemas', depends_on: [], why: 'defines the users table types' },
    { name: 'implementation', depends_on: ['schemas'], why: 'uses the Schema type' },
    { name: 'tests', depends_on: ['schemas'], why: 'tests against the Schema type' },
  ],
});

let codex: CodexFake;
let claude: AnthropicFake;
let ollama: LocalFake;
let haikuReply = HAIKU_GRAPH;
beforeAll(async () => {
  codex = await startCodexFake({
    reply: (req) => ANSWERS[/You own the "([^"]+)" workstream/.exec(codexPromptOf(req))?.[1] ?? ''] ?? 'nothing',
  });
  claude = await startAnthropicFake({
    reply: (req) => {
      const prompt = anthropicPromptOf(req);
      if (prompt.includes('dependency check')) return haikuReply;
      if (prompt.includes('Merge the outputs'))
        return prompt.includes('symbol `Schema`')
          ? '```ts\n// file: src/store.ts\nimport type { Schema } from "./schema";\nexport const store = 1;\n```\n'
          : '```ts\n// file: src/impl.ts\nexport const impl = "merged";\n```\n';
      return 'claude answer';
    },
  });
  ollama = await startOllamaFake({
    reply: (req) => {
      const prompt = String(req.body?.messages?.at(-1)?.content ?? '');
      return ANSWERS[/You own the "([^"]+)" workstream/.exec(prompt)?.[1] ?? ''] ?? 'nothing';
    },
  });
});
afterAll(() => Promise.all([codex.close(), claude.close(), ollama.close()]));

const BASE = `[models]\ncodex_enabled = true\ngemini_enabled = false\n[models.codex]\ncommand = "${CODEX_BIN}"\n`;
const onCodex = (keys: string[]) => keys.map((k) => `[routing.${k}]\nprimary = "gpt-5.2"\nfallback = []\n`).join('');
const owner = (p: string) => /You own the "([^"]+)" workstream/.exec(p)?.[1];
const withClaude = (home: string) => ({
  ...codexEnv(codex, home),
  ANTHROPIC_BASE_URL: claude.url,
  ANTHROPIC_API_KEY: 'x',
});

/** A committed repo with a config; `extra` goes to the config. */
function project(extra: string) {
  const repo = tempRepo();
  writeProjectConfig(repo.dir, BASE + extra);
  writeFileSync(join(repo.dir, '.gitignore'), '.claude/mm/\n');
  repo.write('src/base.ts', 'export const base = 1;\n');
  repo.commitAll('base');
  return repo;
}

const ws = (...names: string[]) => names.flatMap((n) => ['--workstream', n]);

describe('mm develop run', () => {
  it('Phase 0 by Haiku, stages in order, uncommitted work and --link in the checkout, a conflict settled by the referee, apply only on apply', async () => {
    const repo = project(
      onCodex(['schemas', 'implementation', 'tests']) +
        `[develop]\nanalysis_model = "claude-haiku-4-5"\n` +
        `verify = ["grep -q tests src/impl.ts", "grep -q UNCOMMITTED src/base.ts", "test -f notes/todo.md", "test -f deps/marker"]\n`,
    );
    // An ignored dependency folder (like node_modules) that only --link brings into the checkout.
    repo.write('.git/info/exclude', 'deps/\n');
    repo.write('deps/marker', 'dependency\n');
    // The user's uncommitted work: a changed tracked file and an untracked one.
    repo.write('src/base.ts', 'export const base = 1; // UNCOMMITTED\n');
    repo.write('notes/todo.md', 'todo\n');
    const statusBefore = repo.git('status', '--porcelain');
    const env = withClaude(tempDir('mm-develop-home-'));
    const [codexBefore, claudeBefore] = [codex.calls().length, claude.calls().length];
    const r = await mmAsync(
      [
        'develop',
        'run',
        '--task',
        'add a users table',
        ...ws('tests', 'implementation', 'schemas'),
        '--link',
        'deps',
        '--yes',
        '--json',
      ],
      { cwd: repo.dir, env },
    );
    expect(r.code, r.stderr).toBe(0);
    // Phase 0: one call to Haiku, before any workstream.
    const analysis = claude.calls().slice(claudeBefore);
    expect(analysis.map((q) => q.body.model)).toEqual(['claude-haiku-4-5']);
    expect(anthropicPromptOf(analysis[0]!)).toContain('Workstreams: tests, implementation, schemas');
    const report = r.json();
    // Haiku's graph, not the table's: implementation and tests run in parallel after the schemas.
    expect(report.stages).toEqual([['schemas'], ['tests', 'implementation']]);
    const sent = codex.calls().slice(codexBefore).map(codexPromptOf);
    expect(sent.map(owner)[0]).toBe('schemas');
    expect(sent.map(owner).slice(1).sort()).toEqual(['implementation', 'tests']);
    for (const p of sent.slice(1)) expect(p).toContain('Output of the schemas workstream');
    // The isolated checkout had the uncommitted work (verify found it there).
    expect(report.carried.sort()).toEqual(['notes/todo.md', 'src/base.ts']);
    // Both wrote src/impl.ts: the tests decided, through the referee.
    expect(report.conflicts).toHaveLength(1);
    expect(report.conflicts[0]).toMatchObject({
      kind: 'file',
      file: 'src/impl.ts',
      settled_by: 'referee',
      winner: 'tests',
    });
    const verdict = JSON.parse(
      readFileSync(join(repo.dir, '.claude/mm/runs', report.conflicts[0].referee_run, 'outputs/verdict.json'), 'utf8'),
    );
    // One version fails `grep -q tests src/impl.ts`, the other passes it.
    expect([verdict.candidates.a.passed, verdict.candidates.b.passed].sort()).toEqual([false, true]);
    // The referee's candidate folders were scratch: its run keeps both versions of the file.
    const refereeRun = join(repo.dir, '.claude/mm/runs', report.conflicts[0].referee_run);
    const kept = ['implementation', 'tests'].map((w) =>
      readdirSync(join(refereeRun, 'inputs')).find((d) => d.endsWith(`-${w}`)),
    );
    expect(kept.every(Boolean)).toBe(true);
    expect(kept.map((d) => readFileSync(join(refereeRun, 'inputs', d!, 'src/impl.ts'), 'utf8')).sort()).toEqual([
      'export const impl = "implementation";\n',
      'export const impl = "tests";\n',
    ]);
    expect(report.verification.map((v: { passed: boolean }) => v.passed)).toEqual([true, true, true, true]);
    const patch = readFileSync(join(repo.dir, '.claude/mm/runs', report.run_id, 'outputs/develop.patch'), 'utf8');
    expect(patch).not.toContain('deps');
    expect(report.ready).toBe(true);
    const md = readFileSync(join(repo.dir, '.claude/mm/runs', report.run_id, 'outputs/report.md'), 'utf8');
    expect(md).toContain('settled by tests (referee)');
    // The user's tree is untouched until apply.
    expect(existsSync(join(repo.dir, 'src/impl.ts'))).toBe(false);
    expect(repo.git('status', '--porcelain')).toBe(statusBefore);
    const applied = await mmIn(['develop', 'apply', report.run_id], { cwd: repo.dir, env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(readFileSync(join(repo.dir, 'src/impl.ts'), 'utf8')).toBe('export const impl = "tests";\n');
    expect(readFileSync(join(repo.dir, 'src/base.ts'), 'utf8')).toBe('export const base = 1; // UNCOMMITTED\n');
    expect(readFileSync(join(repo.dir, 'notes/todo.md'), 'utf8')).toBe('todo\n');
  }, 240_000);

  it('without tests to decide, the synthesiser (Claude via the API) merges a file conflict and a symbol conflict', async () => {
    const repo = project(onCodex(['schemas', 'storage', 'implementation', 'tests']) + `[develop]\nanalysis = "off"\n`);
    const env = withClaude(tempDir('mm-develop-home-'));
    const claudeBefore = claude.calls().length;
    const r = await mmIn(
      [
        'develop',
        'run',
        '--task',
        'add a users table',
        ...ws('schemas', 'storage', 'implementation', 'tests'),
        '--yes',
        '--json',
      ],
      { cwd: repo.dir, env },
    );
    expect(r.code, r.stderr).toBe(0);
    const report = r.json();
    // Analysis off: the dependency table's order, and no Phase 0 call.
    expect(report.stages).toEqual([['schemas'], ['storage'], ['implementation'], ['tests']]);
    const merges = claude.calls().slice(claudeBefore);
    expect(merges.every((q) => anthropicPromptOf(q).includes('Merge the outputs'))).toBe(true);
    expect(merges.map((q) => q.body.model)).toEqual(['claude-opus-4-6', 'claude-opus-4-6']);
    const byKind = Object.fromEntries(report.conflicts.map((c: { kind: string }) => [c.kind, c]));
    expect(byKind.file).toMatchObject({
      file: 'src/impl.ts',
      settled_by: 'synthesizer',
      synthesizer: 'claude-opus-4-6',
    });
    expect(byKind.symbol).toMatchObject({
      symbol: 'Schema',
      files: ['src/schema.ts', 'src/store.ts'],
      settled_by: 'synthesizer',
    });
    expect(byKind.file.reason).toContain('no [develop] verify to decide with');
    const patch = readFileSync(join(repo.dir, '.claude/mm/runs', report.run_id, 'outputs/develop.patch'), 'utf8');
    expect(patch).toContain('+export const impl = "merged";');
    expect(patch).toContain('+import type { Schema } from "./schema";');
    expect(report.ready).toBe(true);
    expect(existsSync(join(repo.dir, 'src/impl.ts'))).toBe(false);
  }, 240_000);

  it('mm runs resume re-runs the failed workstream and the one built on it, in stage order, then Phase 5', async () => {
    const repo = project(
      onCodex(['schemas', 'tests']) +
        `[routing.implementation]\nprimary = "local-llm"\nfallback = []\n` +
        `[models.local_llm]\napi = "ollama"\nendpoint = "${ollama.url}"\nrequire_eval = false\n` +
        `[develop]\nanalysis = "off"\nverify = ["test -f src/schema.ts"]\n`,
    );
    writeProjectConfig(
      repo.dir,
      readFileSync(join(repo.dir, '.claude/config/multi-model.toml'), 'utf8').replace(
        '[models]\n',
        '[models]\nlocal_llm_enabled = true\n',
      ),
    );
    // No way to Claude: the implementation has no fallback when the local model fails.
    const env = { ...codexEnv(codex, tempDir('mm-develop-home-')), ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' };
    const args = ['develop', 'run', '--task', 'add a users table', ...ws('schemas', 'implementation', 'tests')];
    ollama.options.fault = 'server_error';
    const first = await mmAsync([...args, '--yes', '--json'], { cwd: repo.dir, env });
    ollama.options.fault = undefined;
    expect(first.code, first.stderr).toBe(0);
    const runId = first.json().run_id;
    expect(first.json().results.map((x: { ok: boolean }) => x.ok)).toEqual([true, false, true]);
    const [codexBefore, ollamaBefore] = [codex.calls().length, ollama.calls().length];
    const resumed = await mmIn(['runs', 'resume', runId, '--yes', '--json'], { cwd: repo.dir, env });
    expect(resumed.code, resumed.stderr).toBe(0);
    // The schemas are kept; implementation (local) re-runs, then tests (codex) seeing its output.
    const local = ollama.calls().slice(ollamaBefore);
    expect(local.map((q) => owner(String(q.body.messages.at(-1).content)))).toEqual(['implementation']);
    const remote = codex.calls().slice(codexBefore).map(codexPromptOf);
    expect(remote.map(owner)).toEqual(['tests']);
    expect(remote[0]).toContain('Output of the implementation workstream');
    const report = resumed.json();
    expect(report.rerun).toEqual(['implementation', 'tests']);
    expect(report.results.map((x: { ok: boolean }) => x.ok)).toEqual([true, true, true]);
    expect(report.conflicts[0]).toMatchObject({ file: 'src/impl.ts', settled_by: 'referee' });
    expect(report.verification[0].passed).toBe(true);
    expect(existsSync(join(repo.dir, 'src/impl.ts'))).toBe(false);
  }, 240_000);
});

describe('mm develop apply', () => {
  it('refuses a run with an unsettled conflict (no tests, no synthesiser) until --force; the tree is untouched before', async () => {
    const repo = project(
      onCodex(['implementation', 'tests']) +
        // The synthesiser (real codex) answers with no file of the conflict: it stays unsettled.
        `[develop]\nanalysis = "off"\nplan_checkpoint = "auto"\nsynthesizer = "gpt-5.2"\n`,
    );
    const env = { ...codexEnv(codex, tempDir('mm-develop-home-')), ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' };
    const r = await mmIn(['develop', 'run', '--task', 'add users', ...ws('implementation', 'tests'), '--json'], {
      cwd: repo.dir,
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    const report = r.json();
    expect(report.conflicts).toEqual([
      expect.objectContaining({
        file: 'src/impl.ts',
        settled_by: 'unsettled',
        workstreams: ['implementation', 'tests'],
      }),
    ]);
    expect(report.conflicts[0].reason).toContain(
      'the synthesiser gpt-5.2 gave no merge (its answer named none of the conflicting files)',
    );
    expect(report.ready).toBe(false);
    const refused = await mmIn(['develop', 'apply', report.run_id], { cwd: repo.dir, env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('1 unsettled conflict(s)');
    expect(existsSync(join(repo.dir, 'src/impl.ts'))).toBe(false);
    const forced = await mmIn(['develop', 'apply', report.run_id, '--force'], { cwd: repo.dir, env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(repo.dir, 'src/impl.ts'), 'utf8')).toBe('export const impl = "tests";\n');
  }, 240_000);
});

describe('mm develop run --plan --sections (/develop 2, 3)', () => {
  it('runs the sections one after the other, each with its stages; a later section builds on the earlier one', async () => {
    const repo = project(
      onCodex(['schemas', 'implementation']) + `[develop]\nanalysis = "off"\nplan_checkpoint = "auto"\n`,
    );
    writeFileSync(
      join(repo.dir, 'plan.md'),
      '# Plan\n\n## 1. Setup\nSETUP\n\n## 2. Users\nUSERS-SECTION\n\n## 3. Sessions\nSESSIONS-SECTION\n',
    );
    const env = withClaude(tempDir('mm-develop-home-'));
    const before = codex.calls().length;
    const r = await mmIn(
      ['develop', 'run', '--plan', 'plan.md', '--sections', '2, 3', ...ws('schemas', 'implementation'), '--json'],
      { cwd: repo.dir, env },
    );
    expect(r.code, r.stderr).toBe(0);
    const report = r.json();
    expect(report.stages).toEqual([['2.schemas'], ['2.implementation'], ['3.schemas'], ['3.implementation']]);
    const sent = codex.calls().slice(before).map(codexPromptOf);
    expect(sent.map((p) => (p.includes('SESSIONS-SECTION') ? 3 : p.includes('USERS-SECTION') ? 2 : 0))).toEqual([
      2, 2, 3, 3,
    ]);
    expect(sent.map(owner)).toEqual(['schemas', 'implementation', 'schemas', 'implementation']);
    expect(sent[2]).toContain('Output of the 2.schemas workstream');
    expect(sent.some((p) => p.includes('SETUP'))).toBe(false);
    // Both sections wrote src/schema.ts: the later section's version stands, no conflict.
    expect(report.conflicts).toEqual([]);
    expect(report.collected.map((c: { workstream: string }) => c.workstream)).toEqual([
      '2.schemas',
      '2.implementation',
      '3.schemas',
      '3.implementation',
    ]);
  }, 240_000);
});

describe('mm develop run: the plan checkpoint', () => {
  it('"ask" (the default) prints Phase 0 and the estimate, then stops with exit 3 before any workstream call', async () => {
    const repo = project(onCodex(['schemas', 'tests']) + `[develop]\nanalysis = "off"\n`);
    const env = withClaude(tempDir('mm-develop-home-'));
    const before = codex.calls().length;
    const r = await mmIn(['develop', 'run', '--task', 'add users', ...ws('schemas', 'tests')], {
      cwd: repo.dir,
      env,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Phase 0: deterministic dependency check');
    expect(r.stderr).toContain('stage 2 (ordered): tests ← schemas');
    expect(r.stderr).toContain('plan_checkpoint = "ask"');
    expect(codex.calls().length).toBe(before);
    expect(existsSync(join(repo.dir, '.claude/mm/runs'))).toBe(false);
  }, 120_000);
});

describe('mm develop plan', () => {
  it('Phase 0: an invalid Haiku answer is asked again once, then the deterministic graph says why', async () => {
    const repo = project(onCodex(['schemas', 'tests']));
    const env = withClaude(tempDir('mm-develop-home-'));
    haikuReply =
      '{"complexity":"medium","workstreams":[{"name":"schemas","depends_on":["nope"],"why":"x"},{"name":"tests","depends_on":[],"why":"y"}]}';
    const before = claude.calls().length;
    try {
      const r = await mmIn(['develop', 'plan', '--task', 'add users', ...ws('schemas', 'tests'), '--json'], {
        cwd: repo.dir,
        env,
      });
      expect(r.code, r.stderr).toBe(0);
      const calls = claude.calls().slice(before);
      expect(calls).toHaveLength(2);
      expect(anthropicPromptOf(calls[1]!)).toContain('Your previous answer was rejected');
      const out = r.json();
      expect(out.phase0.source).toBe('fallback');
      expect(out.phase0.note).toMatch(/claude-haiku-4-5 gave no usable graph \(invalid graph: .*depends on nope/);
      expect(out.graph.stages).toEqual([['schemas'], ['tests']]);
    } finally {
      haikuReply = HAIKU_GRAPH;
    }
  }, 120_000);

  it("Phase 0 from Haiku's answer, printed with the stages, why, diversity and cost before anything runs", async () => {
    const repo = project(onCodex(['schemas', 'implementation', 'tests']));
    const env = withClaude(tempDir('mm-develop-home-'));
    const codexBefore = codex.calls().length;
    const r = await mmIn(['develop', 'plan', '--task', 'add users', ...ws('schemas', 'implementation', 'tests')], {
      cwd: repo.dir,
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Phase 0: dependency check by claude-haiku-4-5; complexity medium');
    expect(r.stdout).toContain('stage 1 (ordered): schemas — defines the users table types');
    expect(r.stdout).toContain('stage 2 (parallel): implementation ← schemas — uses the Schema type');
    expect(r.stdout).toContain('Diversity score');
    expect(r.stdout).toMatch(/estimate/i);
    expect(codex.calls().length).toBe(codexBefore);
  }, 120_000);

  it('runs against numbered sections of a plan document; bad section numbers say what the plan has', async () => {
    const dir = tempDir('mm-develop-plan-');
    writeProjectConfig(dir, `[develop]\nanalysis = "off"\n`);
    writeFileSync(
      join(dir, 'plan.md'),
      '# Plan\n\n## 1. Setup\nset up\n\n## 2. Storage\nSTORAGE-SECTION\n\n## 3. Tests\nTESTS-SECTION\n',
    );
    const ok = await mmIn(['develop', 'plan', '--plan', 'plan.md', '--sections', '2,3', '--json'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    const task = JSON.parse(ok.stdout).task as string;
    expect(task).toContain('STORAGE-SECTION');
    expect(task).toContain('TESTS-SECTION');
    expect(task).not.toContain('set up');
    const missing = await mmIn(['develop', 'plan', '--plan', 'plan.md', '--sections', '2,9'], { cwd: dir });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('plan.md: no section 9; it has 1 (line 3), 2 (line 6), 3 (line 9)');
    const word = await mmIn(['develop', 'plan', '--plan', 'plan.md', '--sections', 'two'], { cwd: dir });
    expect(word.code).not.toBe(0);
    expect(word.stderr).toContain('"two" is not a section number');
    const alone = await mmIn(['develop', 'plan', '--sections', '2'], { cwd: dir });
    expect(alone.code).not.toBe(0);
    expect(alone.stderr).toContain('--sections needs --plan FILE');
  });
});
