/**
 * The three ways a user installs multimodel, each from a clean state, with the real
 * `claude`: (a) the plugin from a git marketplace (a bare clone of the commit under test
 * served over loopback by `git http-backend`; Claude Code copies only the plugin folder),
 * (b) the npm package (`npm pack`, then `npm i -D` of the tarball, offline), (c) the pack
 * copied by `mm init` into a project that has none of this package. In each, `mm` runs with
 * no node_modules, no `mm` on PATH and nothing downloaded. Then the permission tests: a
 * scripted fake Messages API plays the model and runs the command the expanded body names.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMessages, type FakeStep } from '../fakes/anthropic-messages.ts';
import { codexEnv, startCodexFake, startOllamaFake, type CodexFake } from '../fakes/index.ts';
import { LGTM } from '../fakes/scripted-invoke.ts';
import { serveGit, type GitHttp } from '../helpers/git-http.ts';
import { mm } from '../helpers/mm.ts';
import { tempDir, tempRepo, type TempRepo } from '../helpers/repo.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLAUDE = join(REPO, 'node_modules', '.bin', 'claude');
const CODEX = join(REPO, 'node_modules', '.bin', 'codex');
/** Node and the system tools; no node_modules/.bin, no folder holding an `mm`. */
const BARE_PATH = [
  dirname(process.execPath),
  ...(process.env.PATH ?? '').split(':').filter((d) => d && !d.includes('node_modules') && !existsSync(join(d, 'mm'))),
].join(':');

const temps: string[] = [];
const temp = (prefix: string) => {
  const d = tempDir(prefix);
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
/** Asynchronous spawn: the fakes answer on this process's event loop. */
function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env: NodeJS.ProcessEnv; input?: string },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}
const bareEnv = (home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: BARE_PATH,
  HOME: home,
  TMPDIR: home,
  npm_config_offline: 'true',
  ...extra,
});

/** A git repository with one committed file and one uncommitted change. */
function projectWithChange(config?: string): TempRepo {
  const r = tempRepo();
  temps.push(r.dir);
  r.write('.gitignore', 'node_modules/\n.claude/mm/\n');
  r.write('src/app.ts', 'export const a = 1;\n');
  if (config) r.write('.claude/config/multi-model.toml', config);
  r.commitAll('base');
  r.write('src/app.ts', 'export const a = 2;\n');
  return r;
}

const codexConfig = `[models]\ncodex_enabled = true\n[models.codex]\ncommand = "${CODEX}"\n`;

describe('(a) the plugin installed from a git marketplace', () => {
  let home: string;
  let plugin: string;
  let gitHttp: GitHttp;

  beforeAll(async () => {
    home = temp('mm-git-home-');
    const served = temp('mm-git-served-');
    execFileSync('git', ['clone', '--bare', '-q', REPO, join(served, 'multimodel.git')]);
    gitHttp = await serveGit(served);
    const env = bareEnv(home, { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' });
    for (const args of [
      ['plugin', 'marketplace', 'add', `${gitHttp.url}/multimodel.git`],
      ['plugin', 'install', 'multimodel@multimodel'],
    ]) {
      const r = await run(CLAUDE, args, { env });
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    const installed = readFileSync(join(home, '.claude', 'plugins', 'installed_plugins.json'), 'utf8');
    plugin = /"installPath":\s*"([^"]+)"/.exec(installed)![1]!;
  }, 180_000);
  afterAll(async () => {
    await gitHttp?.close();
  });

  it('copies only the plugin folder, and its launcher runs mm: check, config init, init, and an SDK-backed ask', async () => {
    expect(plugin.startsWith(join(home, '.claude', 'plugins', 'cache'))).toBe(true);
    expect(existsSync(join(plugin, 'runtime', 'mm.js'))).toBe(true);
    expect(existsSync(join(plugin, 'node_modules'))).toBe(false);
    expect(existsSync(join(plugin, 'dist'))).toBe(false);
    const launcher = join(plugin, 'scripts', 'mm');

    const project = projectWithChange();
    const check = await run(launcher, ['check', '--json'], { cwd: project.dir, env: bareEnv(home) });
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).files_changed).toBe(1);

    const fresh = temp('mm-git-config-');
    const init = await run(launcher, ['config', 'init'], { cwd: fresh, env: bareEnv(home) });
    expect(init.code, init.stderr).toBe(0);
    expect(readFileSync(join(fresh, '.claude/config/multi-model.toml'), 'utf8')).toBe(
      readFileSync(join(REPO, 'templates/multi-model.toml'), 'utf8'),
    );
    const copied = temp('mm-git-init-');
    const pack = await run(launcher, ['init', '--target', copied], { env: bareEnv(home) });
    expect(pack.code, pack.stderr).toBe(0);
    expect(existsSync(join(copied, '.claude/runtime/mm.js'))).toBe(true);
    expect(readFileSync(join(copied, 'CLAUDE.md'), 'utf8')).toContain('## Multi-Model Integration');

    // The ollama SDK is a lazily loaded chunk of the runtime: it must be there.
    const ollama = await startOllamaFake({ reply: 'local says hi' });
    try {
      const cfg = join(temp('mm-git-ollama-'), 'mm.toml');
      writeFileSync(cfg, `[models]\nlocal_llm_enabled = true\n[models.local_llm]\nendpoint = "${ollama.url}"\n`);
      const ask = await run(launcher, ['ask', 'local', '--config', cfg], {
        cwd: project.dir,
        env: bareEnv(home),
        input: 'say hi',
      });
      expect(ask.code, ask.stderr).toBe(0);
      expect(ask.stdout).toContain('local says hi');
    } finally {
      await ollama.close();
    }
  });

  describe('permissions that match, with the real claude and a scripted model', () => {
    let codex: CodexFake;
    beforeAll(async () => {
      codex = await startCodexFake({ reply: JSON.stringify(LGTM) });
    });
    afterAll(async () => {
      await codex.close();
    });

    /** What the user granted once, in their own settings (merged into the plugin install's). */
    function grant(allow: string[]) {
      const file = join(home, '.claude', 'settings.json');
      const settings = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
      settings.permissions = { allow };
      writeFileSync(file, JSON.stringify(settings, null, 2));
    }
    /** The last launcher path the request holds: in the expanded command, skill or agent body. */
    const launcherIn = (body: any): string => {
      const text = JSON.stringify([body.system, body.messages]);
      const all = [...text.matchAll(/(\/[^\s"'`\\]+\/scripts\/mm)\b/g)];
      return all.at(-1)?.[1] ?? 'no-launcher-in-the-expanded-body';
    };
    async function claude(prompt: string, script: FakeStep[], cwd: string) {
      const fake = await startFakeMessages({ script, scriptNeedsTool: 'Bash' });
      try {
        const r = await run(CLAUDE, ['-p', prompt, '--output-format', 'stream-json', '--verbose'], {
          cwd,
          env: {
            ...bareEnv(home),
            ...codexEnv(codex, home),
            ANTHROPIC_BASE_URL: fake.url,
            ANTHROPIC_API_KEY: 'test-key',
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          },
        });
        const events = r.stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l));
        const result = events.find((e) => e.type === 'result');
        const bash = events
          .filter((e) => e.type === 'user')
          .flatMap((e) => (Array.isArray(e.message?.content) ? e.message.content : []))
          .filter((c: any) => c.type === 'tool_result')
          .map((c: any) => (typeof c.content === 'string' ? c.content : JSON.stringify(c.content)));
        return { r, result, toolResults: bash };
      } finally {
        await fake.close();
      }
    }

    it('/multimodel:cross-review codex: runs the mm command its body names, no prompt, and Codex gives a verdict', async () => {
      grant([]);
      const project = projectWithChange(codexConfig);
      const before = codex.calls().length;
      const { r, result, toolResults } = await claude(
        '/multimodel:cross-review codex',
        [
          (body) => ({
            toolUse: {
              name: 'Bash',
              input: { command: `${launcherIn(body)} review diff --with codex --yes`, description: 'review' },
            },
          }),
          { text: 'done' },
        ],
        project.dir,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(result.permission_denials).toEqual([]);
      expect(toolResults.join('\n')).toMatch(/Diff review by [^\n]*: LGTM/);
      expect(codex.calls().length).toBeGreaterThan(before);
    }, 180_000);

    it('the multi-model skill: runs mm check --json through the launcher it names', async () => {
      grant(['Skill']);
      const project = projectWithChange();
      const { r, result, toolResults } = await claude(
        'should this change get a second opinion?',
        [
          { toolUse: { name: 'Skill', input: { skill: 'multimodel:multi-model' } } },
          (body) => ({
            toolUse: { name: 'Bash', input: { command: `${launcherIn(body)} check --json`, description: 'check' } },
          }),
          { text: 'done' },
        ],
        project.dir,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(result.permission_denials).toEqual([]);
      expect(toolResults.join('\n')).toContain('files_changed');
    }, 180_000);

    it('the codex-reviewer agent: runs mm review diff --with codex with the one rule a user grants (README)', async () => {
      grant(['Bash(*/plugins/cache/multimodel/multimodel/*/scripts/mm *)']);
      const project = projectWithChange(codexConfig);
      const before = codex.calls().length;
      const { r, result, toolResults } = await claude(
        'get a Codex review of this diff',
        [
          {
            toolUse: {
              name: 'Agent',
              input: {
                subagent_type: 'multimodel:codex-reviewer',
                description: 'Codex review',
                prompt: 'Review the uncommitted diff with Codex.',
                run_in_background: false,
              },
            },
          },
          (body) => ({
            toolUse: {
              name: 'Bash',
              input: { command: `${launcherIn(body)} review diff --with codex --yes`, description: 'review' },
            },
          }),
          { text: 'Codex: LGTM' },
          { text: 'done' },
        ],
        project.dir,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(result.permission_denials).toEqual([]);
      expect(toolResults.join('\n')).toMatch(/Diff review by [^\n]*: LGTM/);
      expect(codex.calls().length).toBeGreaterThan(before);
    }, 180_000);
  });
});

describe('(b) the npm package', () => {
  it('npm pack, then npm i -D of the tarball offline (no dependencies to fetch), then npx mm check', async () => {
    const out = temp('mm-npm-pack-');
    const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', out, '--silent'], {
      cwd: REPO,
      env: { ...process.env },
    });
    expect(packed.code, packed.stderr).toBe(0);
    const tgz = readdirSync(out).find((f) => /^multimodel-.*\.tgz$/.test(f))!;
    const home = temp('mm-npm-home-');
    const project = projectWithChange();
    writeFileSync(join(project.dir, 'package.json'), '{ "name": "app", "version": "1.0.0", "private": true }\n');
    const env = { ...bareEnv(home), npm_config_cache: join(home, 'npm-cache') };
    const install = await run('npm', ['i', '-D', '--offline', '--no-audit', '--no-fund', join(out, tgz)], {
      cwd: project.dir,
      env,
    });
    expect(install.code, install.stderr).toBe(0);
    const check = await run('npx', ['mm', 'check', '--json'], { cwd: project.dir, env });
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ files_changed: 3 }); // src/app.ts, package.json, package-lock.json
  }, 180_000);
});

describe('(c) the pack copied by mm init into a project without this package', () => {
  it('runs mm from the copied runtime; the fresh pack is not the change and is never sent for review', async () => {
    const project = tempRepo();
    temps.push(project.dir);
    project.write('src/app.ts', 'export const a = 1;\n');
    project.commitAll('base');
    expect(mm(['init', '--target', project.dir]).code).toBe(0);
    const home = temp('mm-copied-home-');
    const launcher = join(project.dir, '.claude', 'scripts', 'mm');

    const check = await run(launcher, ['check', '--json'], { cwd: project.dir, env: bareEnv(home) });
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ files_changed: 0, suggestions: [] });

    // Even with Codex enabled (a config outside the project), nothing of the pack is sent.
    const cfg = join(home, 'mm.toml');
    writeFileSync(cfg, `${codexConfig}[checkpoints]\npr_cross_review = "auto"\n`);
    const review = await run(launcher, ['review', 'diff', '--with', 'codex', '--yes', '--config', cfg], {
      cwd: project.dir,
      env: bareEnv(home),
    });
    expect(review.code, review.stderr).toBe(0);
    expect(review.stdout).toContain('nothing to review');

    // A user's edit to a pack file is a change again.
    project.write('.claude/commands/route.md', 'mine\n');
    const edited = await run(launcher, ['check', '--json'], { cwd: project.dir, env: bareEnv(home) });
    expect(JSON.parse(edited.stdout).files.map((f: { path: string }) => f.path)).toEqual(['.claude/commands/route.md']);
  });

  it('says what is missing and how to fix it when no mm can be found, and downloads nothing', async () => {
    const project = temp('mm-copied-bare-');
    expect(mm(['init', '--target', project]).code).toBe(0);
    rmSync(join(project, '.claude', 'runtime'), { recursive: true });
    mkdirSync(join(project, 'bin'));
    const r = await run(join(project, '.claude', 'scripts', 'mm'), ['check'], { cwd: project, env: bareEnv(project) });
    expect(r.code).toBe(127);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^mm: not found: .*runtime\/mm\.js.*Fix: /);
    expect(r.stderr).not.toContain('npm');
  });
});
