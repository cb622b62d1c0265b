/**
 * Contract: `mm handoff run` with the REAL codex as the coder, against the Codex fake.
 * With `-m gpt-5.2` Codex offers the `exec_command` tool; the fake answers the first
 * request with a call that writes a file, then with the coder's closing JSON. Codex runs
 * the command in its workspace-write sandbox inside mm's isolated checkout.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexEnv, codexPromptOf, functionCallOutputs, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import type { RecordedRequest } from '../fakes/server.ts';
import { startOpenAiCompatibleFake } from '../fakes/local-servers.ts';
import { writeStubCli } from '../fakes/stub-cli.ts';
import { isRunning } from '../helpers/process.ts';
import { CODEX_BIN } from '../helpers/invoke-context.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempDir, tempRepo, type TempRepo } from '../helpers/repo.ts';

/** A path in the shared temp folder, outside the coder's checkout. */
const ESCAPE = join(tmpdir(), `mm-handoff-escape-${process.pid}`);

/** What the coder does for a spec (found by a marker in its text): one shell command. */
const SCRIPTS: Record<string, string> = {
  'escape-tmp': `printf 'hello\\n' > hello.txt; printf x > '${ESCAPE}'; mktemp >/dev/null && echo private-tmp-ok`,
  'make-hello': "printf 'hello\\n' > hello.txt",
  'edit-readme': "printf '# changed by the coder\\n' > README.md",
  'batch-one': "printf 'one\\n' > steps.txt && printf '// TODO(architect): which separator?\\n' > notes.js",
  'batch-two': "printf 'two\\n' >> steps.txt",
  'wrong-output': "printf 'bye\\n' > hello.txt",
};

function scriptFor(req: RecordedRequest): string | undefined {
  const all = JSON.stringify(req.body?.input ?? []);
  // In a batch the later spec's marker is what this request is about: check the later ones first.
  return Object.keys(SCRIPTS)
    .reverse()
    .find((k) => all.includes(`marker:${k}`));
}

let fake: CodexFake;
let home: string;
beforeAll(async () => {
  home = tempDir('mm-handoff-home-');
  fake = await startCodexFake({
    reply: (req) => {
      const key = scriptFor(req);
      if (!key) return 'no script for this request';
      if (functionCallOutputs(req) === 0)
        return { call: { name: 'exec_command', arguments: JSON.stringify({ cmd: SCRIPTS[key] }) } };
      return JSON.stringify({ summary: `did ${key}`, blockers: [], deviations: [] });
    },
  });
});
afterAll(() => fake.close());

function spec(opts: {
  id: string;
  marker: string;
  file: string;
  action: 'NEW' | 'MODIFY';
  verify: string;
  batchHeader?: string;
}): string {
  const entry =
    opts.action === 'NEW'
      ? `### [NEW] \`${opts.file}\`\n\n**Purpose:** holds the text (marker:${opts.marker})\n`
      : `### [MODIFY] \`${opts.file}\`\n\n**Change:** replace the text (marker:${opts.marker})\n`;
  return [
    `# Code Spec — ${opts.marker}`,
    '',
    `**Spec ID:** ${opts.id}`,
    '**Architect:** Claude Opus 4.6',
    '**Created:** 2026-12-03T08:00:00Z',
    '**Priority:** P1',
    '',
    ...(opts.batchHeader ? [opts.batchHeader, ''] : []),
    '## Objective',
    '',
    'Write the file the test expects.',
    '',
    '## Files to Modify',
    '',
    entry,
    '## Test Expectations',
    '',
    '- [ ] `content_check` — the file holds the expected text',
    '',
    '## Guardrails — Do NOT',
    '',
    '- touch anything else',
    '',
    '## Verification Command',
    '',
    '```bash',
    opts.verify,
    '```',
    '',
    '## Context (Read-Only Reference)',
    '',
    'None.',
    '',
  ].join('\n');
}

function project(): { repo: TempRepo; env: NodeJS.ProcessEnv } {
  const repo = tempRepo();
  repo.write(
    '.claude/config/multi-model.toml',
    `[models]\ncodex_enabled = true\ngemini_enabled = false\n[models.codex]\ncommand = "${CODEX_BIN}"\n[roles]\narchitect = "claude-opus-4-6"\ncoder = "gpt-5.2"\n`,
  );
  repo.commitAll('config');
  return { repo, env: { ...codexEnv(fake, home), ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' } };
}

function writeSpec(repo: TempRepo, id: string, name: string, text: string): void {
  const dir = join(repo.dir, '.claude/mm/handoffs', id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
}

const cleanTree = (repo: TempRepo) => repo.git('status', '--porcelain').trim();

describe('mm handoff run with the real codex as the coder', () => {
  it('waits for "Model Confirmed", implements in isolation, verifies, reports; the tree changes only on apply', async () => {
    const { repo, env } = project();
    writeSpec(
      repo,
      'CS-001',
      'code_spec.md',
      spec({
        id: 'CS-001',
        marker: 'make-hello',
        file: 'hello.txt',
        action: 'NEW',
        verify: 'test "$(cat hello.txt)" = hello',
      }),
    );

    const gate = await mmIn(['handoff', 'run', 'CS-001'], { cwd: repo.dir, env });
    expect(gate.code).toBe(3);
    expect(gate.stdout).toContain('🛑 HARD STOP: Hand Off to Coder');
    expect(gate.stdout).toContain('Action Required: Coder: GPT-5.2 — reply "Model Confirmed" to start.');
    expect(gate.stdout).not.toContain('model selector');
    expect(gate.stdout).toContain('mm handoff run CS-001 --yes');

    const before = fake.calls().length;
    const run = await mmAsync(['handoff', 'run', 'CS-001', '--yes', '--json'], { cwd: repo.dir, env });
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    const r = run.json();
    expect(r).toMatchObject({
      handoff: 'CS-001',
      status: 'ok',
      verified: true,
      coder: { model: 'gpt-5.2', mode: 'agent' },
    });
    expect(r.files).toEqual([{ path: 'hello.txt', action: 'Created', added: 1, removed: 0 }]);
    expect(r.specs[0].verification).toMatchObject({
      command: 'test "$(cat hello.txt)" = hello',
      exit_code: 0,
      passed: true,
    });
    expect(r.report.ok).toBe(true);

    // What the coder was sent: the spec, the protocol's rules, the verification command, in a writable sandbox.
    const sent = fake.calls().slice(before);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.body.model).toBe('gpt-5.2');
    const prompt = codexPromptOf(sent[0]!);
    expect(prompt).toContain('marker:make-hello');
    expect(prompt).toContain('TODO(architect)');
    expect(prompt).toContain('test "$(cat hello.txt)" = hello');
    expect(JSON.stringify(sent[0]!.body)).toContain('workspace-write');
    expect(functionCallOutputs(sent[1]!)).toBe(1);

    // Nothing landed in the user's tree; the checkout is gone.
    expect(existsSync(join(repo.dir, 'hello.txt'))).toBe(false);
    expect(cleanTree(repo)).toBe('');
    expect(existsSync(join(repo.dir, '.claude/mm/checkouts', r.run))).toBe(false);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    const runDir = join(repo.dir, '.claude/mm/runs', r.run);
    expect(readFileSync(join(runDir, 'outputs/patch.diff'), 'utf8')).toContain('+++ b/hello.txt');
    const report = readFileSync(join(repo.dir, '.claude/mm/handoffs/CS-001/code_report.md'), 'utf8');
    expect(report).toContain('# Code Report — CS-001');
    expect(report).toContain('**Coder:** GPT-5.2');
    expect(report).toContain('| `hello.txt` | Created | +1 |');
    expect(report).toContain('**Result:** PASS');
    expect(report).toContain('did make-hello');

    const validate = await mmIn(['handoff', 'report', 'validate', 'CS-001', '--json'], { cwd: repo.dir, env });
    expect(validate.json()).toMatchObject({ ok: true, test_result: 'PASS' });
    expect(validate.code).toBe(0);

    const apply = await mmIn(['handoff', 'apply', 'CS-001'], { cwd: repo.dir, env });
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('created hello.txt');
    expect(readFileSync(join(repo.dir, 'hello.txt'), 'utf8')).toBe('hello\n');
    const twice = await mmIn(['handoff', 'apply', r.run], { cwd: repo.dir, env });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('already applied');
  });

  it("the coder's shell cannot write to the shared temp folder (where checkouts live), only its own", async () => {
    const { repo, env } = project();
    writeSpec(
      repo,
      'CS-001',
      'code_spec.md',
      spec({ id: 'CS-001', marker: 'escape-tmp', file: 'hello.txt', action: 'NEW', verify: 'test -f hello.txt' }),
    );
    const before = fake.calls().length;
    const run = await mmAsync(['handoff', 'run', 'CS-001', '--yes', '--json'], { cwd: repo.dir, env });
    expect(run.code).toBe(0);
    expect(run.json().files).toEqual([{ path: 'hello.txt', action: 'Created', added: 1, removed: 0 }]);
    expect(existsSync(ESCAPE)).toBe(false);
    // The command ran (so the refusal above is the sandbox's), and mktemp still worked in its own folder.
    const output = JSON.stringify(fake.calls().slice(before).at(-1)!.body);
    expect(output).toContain('private-tmp-ok');
  });

  it('apply refuses a patch that conflicts with the tree, says why, and changes nothing', async () => {
    const { repo, env } = project();
    writeSpec(
      repo,
      'CS-002',
      'code_spec.md',
      spec({
        id: 'CS-002',
        marker: 'edit-readme',
        file: 'README.md',
        action: 'MODIFY',
        verify: 'grep -q changed README.md',
      }),
    );
    const run = await mmAsync(['handoff', 'run', '--yes', '--json'], { cwd: repo.dir, env });
    expect(run.code).toBe(0);
    expect(run.json().files).toEqual([{ path: 'README.md', action: 'Modified', added: 1, removed: 1 }]);
    expect(readFileSync(join(repo.dir, 'README.md'), 'utf8')).toBe('# test\n');

    repo.write('README.md', '# the user changed this meanwhile\n');
    const apply = await mmIn(['handoff', 'apply', '--json'], { cwd: repo.dir, env });
    expect(apply.code).toBe(1);
    expect(apply.json()).toMatchObject({ applied: false, handoff: 'CS-002' });
    expect(apply.json().reason).toContain('does not apply cleanly');
    expect(apply.json().reason).toContain('README.md');
    expect(readFileSync(join(repo.dir, 'README.md'), 'utf8')).toBe('# the user changed this meanwhile\n');
  });

  it('batch mode: the numbered specs in order in one checkout, one consolidated report with the TODO(architect) blocker', async () => {
    const { repo, env } = project();
    const header =
      '> [!NOTE]\n> **Batch Mode Active.** Implement specs 01 through 02 sequentially.\n> File a single consolidated Code Report when all are complete.';
    writeSpec(
      repo,
      'CS-003',
      'code_spec_01.md',
      spec({
        id: 'CS-003-01',
        marker: 'batch-one',
        file: 'steps.txt',
        action: 'NEW',
        verify: 'grep -q one steps.txt',
        batchHeader: header,
      }),
    );
    writeSpec(
      repo,
      'CS-003',
      'code_spec_02.md',
      // Passes only if spec 01's work is there: same checkout, in order.
      spec({
        id: 'CS-003-02',
        marker: 'batch-two',
        file: 'steps.txt',
        action: 'MODIFY',
        verify: 'test "$(cat steps.txt | tr "\\n" " ")" = "one two "',
      }),
    );
    const run = await mmAsync(['handoff', 'run', 'CS-003', '--yes', '--json'], { cwd: repo.dir, env });
    expect(run.code).toBe(0);
    const r = run.json();
    expect(
      r.specs.map((s: { name: string; verification: { passed: boolean } }) => [s.name, s.verification.passed]),
    ).toEqual([
      ['code_spec_01.md', true],
      ['code_spec_02.md', true],
    ]);
    expect(r.files.map((f: { path: string }) => f.path).sort()).toEqual(['notes.js', 'steps.txt']);
    expect(r.report.ok).toBe(true);
    const report = readFileSync(join(repo.dir, '.claude/mm/handoffs/CS-003/code_report.md'), 'utf8');
    expect(report).toContain('# Code Report — CS-003');
    expect(report).toContain('**Spec:** code_spec_01.md, code_spec_02.md');
    expect(report).toContain('`notes.js:1` TODO(architect): which separator?');
    expect(report).toContain('`notes.js` (created) is not listed in the spec');
    expect(report.match(/^\$ /gm)).toHaveLength(2);
  });

  it('a failing verification is reported as FAIL (exit 1), still nothing applied; also as a background job', async () => {
    const { repo, env } = project();
    writeSpec(
      repo,
      'CS-004',
      'code_spec.md',
      spec({
        id: 'CS-004',
        marker: 'wrong-output',
        file: 'hello.txt',
        action: 'NEW',
        verify: 'test "$(cat hello.txt)" = hello',
      }),
    );
    const started = await mmAsync(['handoff', 'run', 'CS-004', '--yes', '--background', '--json'], {
      cwd: repo.dir,
      env,
    });
    expect(started.code).toBe(0);
    const { job } = started.json();
    const wait = await mmAsync(['jobs', 'wait', job], { cwd: repo.dir, env });
    expect(wait.code).toBe(1);
    const result = await mmIn(['jobs', 'result', job, '--json'], { cwd: repo.dir, env });
    const r = result.json().output;
    expect(r).toMatchObject({ handoff: 'CS-004', status: 'ok', verified: false });
    expect(r.specs[0].verification).toMatchObject({ exit_code: 1, passed: false });
    const report = readFileSync(join(repo.dir, '.claude/mm/handoffs/CS-004/code_report.md'), 'utf8');
    expect(report).toMatch(/\*\*Result:\*\* FAIL/);
    expect(report).toContain('**Result:** ERRORS');
    expect(existsSync(join(repo.dir, 'hello.txt'))).toBe(false);
    const again = await mmAsync(['handoff', 'run', 'CS-004', '--yes'], { cwd: repo.dir, env });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already has code_report.md');
  });
});

describe('mm handoff run with a text coder (a local model through the OpenAI-compatible API)', () => {
  it("writes the files of the coder's answer into the checkout, never the user's tree", async () => {
    const local = await startOpenAiCompatibleFake({
      reply:
        'Here it is.\n\n```txt path=hello.txt\nhello\n```\n\n{"summary": "wrote hello.txt", "blockers": [], "deviations": []}',
    });
    try {
      const repo = tempRepo();
      const evalScript = join(repo.dir, '..', `${Date.now()}-eval.sh`);
      writeFileSync(evalScript, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      repo.write(
        '.claude/config/multi-model.toml',
        `[models]\nlocal_llm_enabled = true\ncodex_enabled = false\ngemini_enabled = false\n[models.local_llm]\napi = "openai-compatible"\nendpoint = "${local.url}/v1"\nmodel = "qwen-test"\n[models.local_llm.pinning]\nmodel_id = "qwen-test@sha-1"\neval_suite = "${evalScript}"\n[roles]\ncoder = "local-llm"\n`,
      );
      repo.commitAll('config');
      writeSpec(
        repo,
        'CS-010',
        'code_spec.md',
        spec({
          id: 'CS-010',
          marker: 'text',
          file: 'hello.txt',
          action: 'NEW',
          verify: 'test "$(cat hello.txt)" = hello',
        }),
      );
      const run = await mmAsync(['handoff', 'run', '--yes', '--json'], {
        cwd: repo.dir,
        env: { ANTHROPIC_API_KEY: '' },
      });
      expect(run.code).toBe(0);
      const r = run.json();
      expect(r).toMatchObject({ status: 'ok', verified: true, coder: { model: 'local-llm', mode: 'text' } });
      expect(r.files).toEqual([{ path: 'hello.txt', action: 'Created', added: 1, removed: 0 }]);
      const prompt = JSON.stringify(local.calls()[0]!.body.messages);
      expect(prompt).toContain('IN FULL');
      expect(prompt).toContain('marker:text');
      expect(existsSync(join(repo.dir, 'hello.txt'))).toBe(false);
      expect(readFileSync(join(repo.dir, '.claude/mm/handoffs/CS-010/code_report.md'), 'utf8')).toContain(
        'wrote hello.txt',
      );
    } finally {
      await local.close();
    }
  });
});

describe('a cancelled handoff job', () => {
  it('ends the coder and removes its checkout', async () => {
    const repo = tempRepo();
    const stub = writeStubCli(join(repo.dir, '..', `${Date.now()}-bin`), 'codex', { kind: 'hang-with-child' });
    repo.write(
      '.claude/config/multi-model.toml',
      `[models]\ncodex_enabled = true\ngemini_enabled = false\n[models.codex]\ncommand = "${stub}"\n[roles]\ncoder = "gpt-5.2"\n`,
    );
    repo.commitAll('config');
    writeSpec(
      repo,
      'CS-011',
      'code_spec.md',
      spec({ id: 'CS-011', marker: 'hang', file: 'hello.txt', action: 'NEW', verify: 'true' }),
    );
    const childPidFile = join(repo.dir, '..', `${Date.now()}-child.pid`);
    const env = { STUB_CHILD_PID_FILE: childPidFile, MM_CODEX_NATIVE: '0', ANTHROPIC_API_KEY: '' };
    const started = await mmAsync(['handoff', 'run', '--yes', '--background', '--json'], { cwd: repo.dir, env });
    expect(started.code).toBe(0);
    const { job } = started.json();
    const deadline = Date.now() + 20_000;
    while (!(existsSync(childPidFile) && readFileSync(childPidFile, 'utf8'))) {
      if (Date.now() > deadline) throw new Error('the coder never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    const checkouts = join(repo.dir, '.claude/mm/checkouts');
    expect(readdirSync(checkouts)).toHaveLength(1);
    const status = await mmIn(['jobs', 'status', job, '--json'], { cwd: repo.dir, env });
    expect(status.json()).toMatchObject({ state: 'running', model: 'gpt-5.2' });
    expect(status.json().phase).toContain('implementing code_spec.md');
    const cancel = await mmIn(['jobs', 'cancel', job], { cwd: repo.dir, env });
    expect(cancel.code).toBe(0);
    expect(isRunning(Number(readFileSync(childPidFile, 'utf8')))).toBe(false);
    expect(readdirSync(checkouts)).toHaveLength(0);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(cleanTree(repo)).toBe('');
  });
});

describe('mm handoff run with a Gemini-family coder', () => {
  it('runs the CLI with file edits allowed (--approval-mode auto_edit); a coder that changes nothing is reported, exit 1', async () => {
    const repo = tempRepo();
    const stub = writeStubCli(join(repo.dir, '..', `${Date.now()}-gbin`), 'gemini', { kind: 'echo-stdin' });
    repo.write(
      '.claude/config/multi-model.toml',
      `[models]\ncodex_enabled = false\ngemini_enabled = true\n[models.gemini]\ncommand = "${stub}"\n[roles]\ncoder = "gemini-3.1-pro"\n`,
    );
    repo.commitAll('config');
    writeSpec(
      repo,
      'CS-012',
      'code_spec.md',
      spec({ id: 'CS-012', marker: 'gemini', file: 'hello.txt', action: 'NEW', verify: 'true' }),
    );
    const run = await mmAsync(['handoff', 'run', '--yes', '--json'], { cwd: repo.dir, env: { ANTHROPIC_API_KEY: '' } });
    // The stub edits nothing: the run reports that honestly (exit 1, nothing changed).
    expect(run.code).toBe(1);
    const r = run.json();
    expect(r).toMatchObject({ status: 'ok', coder: { model: 'gemini-3.1-pro', mode: 'agent' }, files: [] });
    const reply = JSON.parse(readFileSync(join(repo.dir, '.claude/mm/runs', r.run, 'outputs/coder-01.md'), 'utf8'));
    expect(reply.argv).toEqual(expect.arrayContaining(['--approval-mode', 'auto_edit']));
    const report = readFileSync(join(repo.dir, '.claude/mm/handoffs/CS-012/code_report.md'), 'utf8');
    expect(report).toContain("the spec's [NEW] `hello.txt` was not changed by the coder");
  });
});
