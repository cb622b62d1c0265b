/**
 * The real Claude Code (pinned devDependency, native binary) discovers the pack — as a
 * plugin (--plugin-dir) and copied into a project by `mm init` — running headless and
 * offline against a loopback fake of the Messages API.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMessages, type FakeReply } from '../fakes/anthropic-messages.ts';
import { mm } from '../helpers/mm.ts';
import { tempDir } from '../helpers/repo.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLAUDE = join(REPO, 'node_modules', '.bin', 'claude');
const PACK = join(REPO, '.claude');

const SKILLS = [
  'multi-model',
  'codex',
  'gemini-cli',
  'nano-banana-pro',
  'sora',
  'local-llm',
  'dual-model-orchestration',
  'parallel-claude-threads',
];
const AGENTS = ['codex-reviewer', 'codex-debugger', 'gemini-orchestrator'];
const COMMANDS = [
  'dual-model',
  'develop',
  'pipeline',
  'qa',
  'journal',
  'cross-review',
  'route',
  'mm-usage',
  'mm-delegate',
  'mm-jobs',
];

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

async function runClaude(
  args: string[],
  cwd: string,
  script?: FakeReply[],
  prompt = 'hi',
  home = temp('mm-claude-home-'),
): Promise<ClaudeRun> {
  const fake = await startFakeMessages({ script });
  try {
    // Async spawn: the fake answers on this process's event loop.
    const child = spawn(CLAUDE, ['-p', prompt, '--output-format', 'stream-json', '--verbose', ...args], {
      cwd,
      env: {
        PATH: PATH_WITHOUT_MM,
        HOME: home,
        TMPDIR: home,
        ANTHROPIC_BASE_URL: fake.url,
        ANTHROPIC_API_KEY: 'test-key',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      },
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
const stopHooks = (run: ClaudeRun) =>
  run.events.filter((e) => e.type === 'system' && e.subtype === 'hook_response' && e.hook_event === 'Stop');
/** PATH without any folder holding an `mm`, so "mm cannot be found" is real. */
const PATH_WITHOUT_MM = (process.env.PATH ?? '')
  .split(':')
  .filter((d) => d && !existsSync(join(d, 'mm')))
  .join(':');
const claudeCli = (args: string[], home: string) =>
  spawnSync(CLAUDE, args, {
    encoding: 'utf8',
    env: { PATH: PATH_WITHOUT_MM, HOME: home, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
    timeout: 60_000,
  });

beforeAll(() => {
  if (!existsSync(CLAUDE))
    throw new Error(`${CLAUDE} is missing: npm ci installs @anthropic-ai/claude-code (devDependency)`);
});
afterAll(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('real Claude Code discovers the pack', () => {
  it('as a plugin (--plugin-dir .claude)', async () => {
    const run = await runClaude(['--plugin-dir', PACK, '--include-hook-events'], temp('mm-claude-cwd-'));
    expect(run.code, run.stderr).toBe(0);
    expect(stopHooks(run), 'the Stop hook is opt-in').toEqual([]);
    const init = initOf(run);
    expect(init.plugins).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'multimodel', path: PACK })]));
    expect(init.skills).toEqual(expect.arrayContaining(SKILLS.map((s) => `multimodel:${s}`)));
    expect(init.agents).toEqual(expect.arrayContaining(AGENTS.map((a) => `multimodel:${a}`)));
    expect(init.slash_commands).toEqual(expect.arrayContaining(COMMANDS.map((c) => `multimodel:${c}`)));
    // The model is shown our trigger descriptions.
    expect(JSON.stringify(run.requests.map((r) => r.body))).toContain(
      'Use when a task might go to a model other than Claude',
    );
  });

  it('copied into a project by mm init', async () => {
    const project = temp('mm-claude-project-');
    expect(mm(['init', '--target', project]).code).toBe(0);
    const run = await runClaude(['--setting-sources', 'project', '--include-hook-events'], project);
    expect(run.code, run.stderr).toBe(0);
    expect(stopHooks(run), 'the Stop hook is opt-in').toEqual([]);
    const init = initOf(run);
    expect(init.skills).toEqual(expect.arrayContaining(SKILLS));
    expect(init.agents).toEqual(expect.arrayContaining(AGENTS));
    expect(init.slash_commands).toEqual(expect.arrayContaining(COMMANDS));
  });

  it('expands ${CLAUDE_SKILL_DIR} in a skill to a launcher that exists, in both installs', async () => {
    const project = temp('mm-claude-project-');
    expect(mm(['init', '--target', project]).code).toBe(0);
    const skillCall = (skill: string): FakeReply[] => [
      { toolUse: { name: 'Skill', input: { skill } } },
      { text: 'done' },
    ];
    const installs = [
      {
        run: await runClaude(
          ['--plugin-dir', PACK, '--allowedTools', 'Skill'],
          temp('mm-claude-cwd-'),
          skillCall('multimodel:codex'),
        ),
        dir: PACK,
      },
      {
        run: await runClaude(['--setting-sources', 'project', '--allowedTools', 'Skill'], project, skillCall('codex')),
        dir: join(project, '.claude'),
      },
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

describe('the opt-in Stop hook', () => {
  it('as the multimodel-stop-review plugin from the marketplace: runs on Stop and exits 0', async () => {
    const home = temp('mm-claude-home-');
    for (const args of [
      ['plugin', 'marketplace', 'add', REPO],
      ['plugin', 'install', 'multimodel-stop-review@multimodel'],
    ]) {
      const r = claudeCli(args, home);
      expect(r.status, r.stdout + r.stderr).toBe(0);
    }
    const run = await runClaude(['--include-hook-events'], temp('mm-claude-cwd-'), undefined, 'hi', home);
    expect(run.code, run.stderr).toBe(0);
    const hooks = stopHooks(run);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ exit_code: 0, outcome: 'success' });
  });

  it('in a copied pack with settings.example.json merged: fails open with a notice when mm cannot be found', async () => {
    const project = temp('mm-claude-project-');
    expect(mm(['init', '--target', project]).code).toBe(0);
    copyFileSync(join(project, '.claude/hooks/settings.example.json'), join(project, '.claude/settings.json'));
    rmSync(join(project, '.claude/runtime'), { recursive: true }); // the copied runtime, lost
    const run = await runClaude(['--setting-sources', 'project', '--include-hook-events'], project);
    expect(run.code, run.stderr).toBe(0);
    const hooks = stopHooks(run);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ exit_code: 0, outcome: 'success' });
    const out = JSON.parse(hooks[0].stdout);
    expect(out.decision).toBeUndefined();
    expect(out.systemMessage).toContain('mm not found');
    expect(out.systemMessage).toContain('NOT a review pass');
  });

  it('in a copied pack with mm reachable: runs mm hook stop (no config → silent, exit 0)', () => {
    const project = temp('mm-hook-');
    expect(mm(['init', '--target', project]).code).toBe(0);
    const r = spawnSync(join(project, '.claude/hooks/stop-review.sh'), ['--max-rounds', '2'], {
      cwd: project,
      input: JSON.stringify({ session_id: 's', cwd: project, hook_event_name: 'Stop', stop_hook_active: false }),
      encoding: 'utf8',
      env: { PATH: PATH_WITHOUT_MM, HOME: project, MM_BIN: join(REPO, 'bin', 'mm.cjs') },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
  });
});

describe('a plugin command names the real launcher path', () => {
  it('expands ${CLAUDE_PLUGIN_ROOT} in /multimodel:route', async () => {
    const run = await runClaude(
      ['--plugin-dir', PACK],
      temp('mm-claude-cwd-'),
      undefined,
      '/multimodel:route review the auth middleware',
    );
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
  it('in a copied pack, runs the runtime copied beside it, with nothing on PATH', () => {
    const project = temp('mm-launcher-');
    expect(mm(['init', '--target', project]).code).toBe(0);
    const r = spawnSync(join(project, '.claude', 'scripts', 'mm'), ['--version'], {
      cwd: project,
      encoding: 'utf8',
      env: { PATH: PATH_WITHOUT_MM, HOME: project },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('runs this build of mm from the repository pack', () => {
    const r = spawnSync(join(PACK, 'scripts', 'mm'), ['--version'], {
      encoding: 'utf8',
      env: { ...process.env, MM_BIN: '' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("in a copied pack, falls back to the project's node_modules/.bin/mm", () => {
    const project = temp('mm-launcher-');
    expect(mm(['init', '--target', project]).code).toBe(0);
    rmSync(join(project, '.claude', 'runtime'), { recursive: true }); // else the copied runtime runs first
    mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(join(REPO, 'bin', 'mm.cjs'), join(project, 'node_modules', '.bin', 'mm'));
    const r = spawnSync(join(project, '.claude', 'scripts', 'mm'), ['--version'], {
      cwd: project,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: project },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
