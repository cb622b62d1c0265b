/**
 * The real Claude Code (pinned devDependency, native binary) discovers the pack — as a
 * plugin (--plugin-dir) and copied into a project by `mm init` — running headless and
 * offline against a loopback fake of the Messages API.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMessages, type FakeReply } from '../fakes/anthropic-messages.ts';
import { mm } from '../helpers/mm.ts';
import { tempDir } from '../helpers/repo.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLAUDE = join(REPO, 'node_modules', '.bin', 'claude');
const PACK = join(REPO, '.claude');

const SKILLS = ['multi-model', 'codex', 'gemini-cli', 'nano-banana-pro', 'sora', 'local-llm', 'dual-model-orchestration', 'parallel-claude-threads'];
const AGENTS = ['codex-reviewer', 'codex-debugger', 'gemini-orchestrator'];
const COMMANDS = ['dual-model', 'develop', 'qa', 'journal', 'cross-review', 'route', 'mm-usage'];

interface ClaudeRun {
  code: number | null;
  events: any[];
  stderr: string;
  requests: Array<{ path: string; body: any }>;
}

const temps: string[] = [];
const temp = (prefix: string) => {
  const d = tempDir(prefix);
  temps.push(d);
  return d;
};

async function runClaude(args: string[], cwd: string, script?: FakeReply[], prompt = 'hi'): Promise<ClaudeRun> {
  const fake = await startFakeMessages({ script });
  try {
    const home = temp('mm-claude-home-');
    // Async spawn: the fake answers on this process's event loop.
    const child = spawn(CLAUDE, ['-p', prompt, '--output-format', 'stream-json', '--verbose', ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: home, TMPDIR: home, ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'test-key', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    const events = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    return { code, events, stderr, requests: fake.requests };
  } finally {
    await fake.close();
  }
}

const initOf = (run: ClaudeRun) => run.events.find((e) => e.type === 'system' && e.subtype === 'init');

beforeAll(() => {
  if (!existsSync(CLAUDE)) throw new Error(`${CLAUDE} is missing: npm ci installs @anthropic-ai/claude-code (devDependency)`);
});
afterAll(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('real Claude Code discovers the pack', () => {
  it('as a plugin (--plugin-dir .claude)', async () => {
    const run = await runClaude(['--plugin-dir', PACK], temp('mm-claude-cwd-'));
    expect(run.code, run.stderr).toBe(0);
    const init = initOf(run);
    expect(init.plugins).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'multimodel', path: PACK })]));
    expect(init.skills).toEqual(expect.arrayContaining(SKILLS.map((s) => `multimodel:${s}`)));
    expect(init.agents).toEqual(expect.arrayContaining(AGENTS.map((a) => `multimodel:${a}`)));
    expect(init.slash_commands).toEqual(expect.arrayContaining(COMMANDS.map((c) => `multimodel:${c}`)));
    // The model is shown our trigger descriptions.
    expect(JSON.stringify(run.requests.map((r) => r.body))).toContain('Use when a task might go to a model other than Claude');
  });

  it('copied into a project by mm init', async () => {
    const project = temp('mm-claude-project-');
    expect(mm(['init', '--target', project]).code).toBe(0);
    const run = await runClaude(['--setting-sources', 'project'], project);
    expect(run.code, run.stderr).toBe(0);
    const init = initOf(run);
    expect(init.skills).toEqual(expect.arrayContaining(SKILLS));
    expect(init.agents).toEqual(expect.arrayContaining(AGENTS));
    expect(init.slash_commands).toEqual(expect.arrayContaining(COMMANDS));
  });

  it('expands ${CLAUDE_SKILL_DIR} in a skill to a launcher that exists, in both installs', async () => {
    const project = temp('mm-claude-project-');
    expect(mm(['init', '--target', project]).code).toBe(0);
    const skillCall = (skill: string): FakeReply[] => [{ toolUse: { name: 'Skill', input: { skill } } }, { text: 'done' }];
    const installs = [
      { run: await runClaude(['--plugin-dir', PACK, '--allowedTools', 'Skill'], temp('mm-claude-cwd-'), skillCall('multimodel:codex')), dir: PACK },
      { run: await runClaude(['--setting-sources', 'project', '--allowedTools', 'Skill'], project, skillCall('codex')), dir: join(project, '.claude') },
    ];
    for (const { run, dir } of installs) {
      expect(run.code, run.stderr).toBe(0);
      const sent = JSON.stringify(run.requests.map((r) => r.body));
      const launcher = `${join(dir, 'skills', 'codex')}/../../scripts/mm`;
      expect(sent).toContain(launcher);
      expect(existsSync(launcher)).toBe(true);
    }
  });
});

describe('a plugin command names the real launcher path', () => {
  it('expands ${CLAUDE_PLUGIN_ROOT} in /multimodel:route', async () => {
    const run = await runClaude(['--plugin-dir', PACK], temp('mm-claude-cwd-'), undefined, '/multimodel:route review the auth middleware');
    expect(run.code, run.stderr).toBe(0);
    const sent = JSON.stringify(run.requests.map((r) => r.body));
    expect(sent).toContain(`${PACK}/scripts/mm`);
  });
});

describe('claude plugin validate --strict', () => {
  for (const [what, dir] of [
    ['the plugin (.claude)', PACK],
    ['the marketplace (repo root)', REPO],
  ] as const) {
    it(`passes on ${what}`, () => {
      const r = spawnSync(CLAUDE, ['plugin', 'validate', dir, '--strict'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: temp('mm-claude-home-'), CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
        timeout: 60_000,
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('Validation passed');
    });
  }
});

describe('the launcher', () => {
  it('runs this build of mm from the repository pack', () => {
    const r = spawnSync(join(PACK, 'scripts', 'mm'), ['--version'], { encoding: 'utf8', env: { ...process.env, MM_BIN: '' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("in a copied pack, falls back to the project's node_modules/.bin/mm", () => {
    const project = temp('mm-launcher-');
    expect(mm(['init', '--target', project]).code).toBe(0);
    mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(join(REPO, 'bin', 'mm.js'), join(project, 'node_modules', '.bin', 'mm'));
    const r = spawnSync(join(project, '.claude', 'scripts', 'mm'), ['--version'], { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: project } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
