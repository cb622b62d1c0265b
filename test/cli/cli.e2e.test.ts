import { main } from '../../src/cli/main.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.ts';
import { mm } from '../helpers/mm.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { SHIPPED_TEMPLATE, TEMPLATE } from '../helpers/config.ts';
import { tempDir, tempRepo, type TempRepo } from '../helpers/repo.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const isolated = () => ({ MM_CACHE_DIR: tempDir('mm-cache-') });
function withConfig(r: TempRepo, text = TEMPLATE): string {
  mkdirSync(join(r.dir, '.claude', 'config'), { recursive: true });
  const path = join(r.dir, '.claude', 'config', 'multi-model.toml');
  writeFileSync(path, text);
  return path;
}

describe('mm: help, version, usage errors', () => {
  it('--help lists every command and the exit codes', () => {
    const r = mm(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(c.name);
    expect(r.stdout).toContain('Exit codes:');
    expect(r.stdout).toMatch(/3\s+a checkpoint in "ask" mode needs the user to confirm/);
  });

  it('each command has --help with its flags', async () => {
    // In-process (one spawn per command cost half a minute); the spawned path is covered by mm --help below.
    for (const c of COMMANDS) {
      const out: string[] = [];
      const io = { stdout: (t: string) => out.push(t), stderr: () => {}, cwd: process.cwd(), env: {}, isTTY: false };
      expect(await main([...c.name.split(' '), '--help'], io), c.name).toBe(0);
      const text = out.join('\n');
      expect(text).toContain(`Usage: mm ${c.name}`);
      for (const f of c.flags) expect(text, `${c.name} --${f.name}`).toContain(`--${f.name}`);
    }
  });

  it('--version prints the package version', () => {
    expect(mm(['--version']).stdout.trim()).toBe(
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version,
    );
  });

  it('help --json is the command table', async () => {
    const table = (await mmIn(['help', '--json'])).json();
    expect(table.commands.map((c: { name: string }) => c.name)).toEqual(COMMANDS.map((c) => c.name));
  });

  it('an unknown command or flag exits 2 with a suggestion and no stack trace', async () => {
    const cmd = await mmIn(['chek']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain('unknown command "chek" (did you mean "mm check"?)');
    const flag = mm(['route', '--categroy', 'review']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('unknown flag --categroy (did you mean --category?)');
    expect(flag.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect((await mmIn(['route', '--files-changed', 'many'])).stderr).toContain('--files-changed needs a whole number');
    expect((await mmIn(['route', '--category', 'poetry'])).stderr).toContain(
      '--category "poetry" is not a known category',
    );
    const typo = await mmIn(['route', '--category', 'debuging']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean "debugging"');
    expect((await mmIn(['route', '--category', 'code_review', '--json'])).stdout).toContain('"category": "review"');
    expect((await mmIn(['route', 'extra'])).stderr).toContain('unexpected argument "extra"');
    const task = mm(['ask', 'codex', '--task', 'debuging'], { input: 'why?' });
    expect(task.code).toBe(2);
    expect(task.stderr).toContain('--task "debuging" is not a known task (did you mean "debugging"?)');
  });

  it('a bare group word shows the group', async () => {
    const r = await mmIn(['config']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('config init');
  });

  it('--json errors are JSON on stdout too', async () => {
    const r = await mmIn(['route', '--json', '--with', 'gpt-9']);
    expect(r.code).toBe(2);
    expect(r.json().error).toMatchObject({ kind: 'config', message: expect.stringContaining('unknown model "gpt-9"') });
  });
});

describe('mm config', () => {
  it('init writes the template, refuses to overwrite, --force replaces', async () => {
    repo = tempRepo();
    const sub = join(repo.dir, 'pkg');
    mkdirSync(sub);
    const first = mm(['config', 'init'], { cwd: sub });
    expect(first.code).toBe(0);
    const path = join(repo.dir, '.claude', 'config', 'multi-model.toml');
    expect(readFileSync(path, 'utf8')).toBe(SHIPPED_TEMPLATE);
    writeFileSync(path, '# mine\n');
    const again = await mmIn(['config', 'init'], { cwd: repo.dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; not overwritten');
    expect(readFileSync(path, 'utf8')).toBe('# mine\n');
    expect((await mmIn(['config', 'init', '--force'], { cwd: repo.dir })).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(SHIPPED_TEMPLATE);
  });

  it('check: exit 0 for a valid file, 2 with file:line for an invalid one, warnings on stderr', async () => {
    repo = tempRepo();
    const env = isolated();
    const path = withConfig(
      repo,
      '[models]\ncodex_enabled = true\ngemini_enabled = "yes"\n[thresholds]\nfiles_changed = 3\n',
    );
    const bad = await mmIn(['config', 'check'], { cwd: repo.dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${path}:3: models.gemini_enabled: expected boolean, got string "yes"`);
    writeFileSync(path, '[models]\ncodex_enabled = true\n[thresholds]\nfiles_changed = 3\n');
    const ok = await mmIn(['config', 'check'], { cwd: repo.dir, env });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain(
      `${path}:4: unknown key thresholds.files_changed (did you mean "files_changed_suggest_review"?)`,
    );
    writeFileSync(path, '[models\n');
    const syntax = await mmIn(['config', 'check', '--json'], { cwd: repo.dir, env });
    expect(syntax.code).toBe(2);
    expect(syntax.json().error.message).toMatch(new RegExp(`${path.replace(/\./g, '\\.')}:1:\\d+: TOML syntax error`));
  });

  it('show: the effective config and where each value came from', async () => {
    repo = tempRepo();
    const path = withConfig(repo, '[models]\ncodex_enabled = true\n\n[thresholds]\nfiles_changed_suggest_review = 4\n');
    const r = await mmIn(['config', 'show', '--json'], { cwd: repo.dir, env: isolated() });
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.config).toBe(path);
    expect(out.values.thresholds.files_changed_suggest_review).toBe(4);
    expect(out.sources['thresholds.files_changed_suggest_review']).toBe(`${path}:5`);
    expect(out.sources['models.codex_enabled']).toBe(`${path}:2`);
    expect(out.sources['models.gemini_enabled']).toBe('default');
    const text = (await mmIn(['config', 'show'], { cwd: repo.dir, env: isolated() })).stdout;
    expect(text).toMatch(/thresholds\.files_changed_suggest_review = 4\s+# .*:5/);
  });

  it('--config and MM_CONFIG point at another file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'alt.toml'), '[models]\ngemini_enabled = true\n');
    expect(
      (await mmIn(['config', 'show', '--json', '--config', 'alt.toml'], { cwd: dir })).json().values.models
        .gemini_enabled,
    ).toBe(true);
    expect(
      (await mmIn(['config', 'show', '--json'], { cwd: dir, env: { MM_CONFIG: join(dir, 'alt.toml') } })).json().values
        .models.gemini_enabled,
    ).toBe(true);
    const missing = await mmIn(['route', '--config', 'nope.toml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.toml: no such file');
  });
});

describe('mm route', () => {
  it('prints the decision as JSON in the documented shape', () => {
    repo = tempRepo();
    withConfig(repo);
    const r = mm(['route', '--json', '--task', 'review the auth middleware', '--files-changed', '14', '--security'], {
      cwd: repo.dir,
      env: isolated(),
    });
    expect(r.code).toBe(0);
    const d = r.json();
    expect(Object.keys(d).sort()).toEqual([
      'category',
      'checkpoint',
      'effort',
      'fallbacks',
      'model',
      'provider',
      'reasons',
    ]);
    expect(d).toMatchObject({
      category: 'review',
      model: 'gemini-3.1-pro',
      provider: 'gemini',
      checkpoint: { name: 'pr_cross_review', mode: 'ask' },
    });
    expect(Object.keys(d.effort).sort()).toEqual(['claude', 'codex', 'gemini']);
  });

  it('missing --artifacts files are an input error', async () => {
    const r = await mmIn(['route', '--category', 'debug', '--artifacts', 'nope.log'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--artifacts nope.log: no such file');
  });

  it('with no config answers Claude and says how to opt in', async () => {
    const r = await mmIn(['route', '--category', 'image', '--resolution', '4K'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('claude-sonnet-4-6 (claude)');
    expect(r.stdout).toContain('mm config init');
  });
});

describe('mm check', () => {
  it('zero config: reports the analysis, says external reviews are off and how to turn them on', () => {
    repo = tempRepo();
    for (let i = 0; i < 12; i++) repo.write(`src/f${i}.ts`, `export const token${i} = ${i};\n`);
    const r = mm(['check'], { cwd: repo.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('12 files changed (+12 −0)');
    expect(r.stdout).toContain('External reviews are off');
    expect(r.stdout).toContain('mm config init');
    expect(existsSync(join(repo.dir, '.claude'))).toBe(false); // zero config leaves no trace
  });

  it('with config: names the checkpoint, its mode and the reason', async () => {
    repo = tempRepo();
    withConfig(repo);
    repo.commitAll('config');
    for (let i = 0; i < 14; i++) repo.write(`src/f${i}.ts`, `export const v${i} = ${i};\n`);
    repo.write('src/auth/middleware.ts', 'export const guard = (req) => check(req.headers.authorization);\n');
    const r = await mmIn(['check'], { cwd: repo.dir, env: isolated() });
    expect(r.stdout).toContain('security-sensitive: yes (score 2 ≥ 2)');
    expect(r.stdout).toContain('  src/auth/middleware.ts  auth ("auth", path)');
    expect(r.stdout).toContain(
      '→ pr_cross_review: 15 files changed (> 10), security evidence in src/auth/middleware.ts (auth) → suggest Gemini 3.1 Pro (preview) review (ask)',
    );
    const json = (await mmIn(['check', '--json'], { cwd: repo.dir, env: isolated() })).json();
    expect(json).toMatchObject({
      files_changed: 15,
      security: { sensitive: true, files: 1 },
      suggestions: [{ checkpoint: 'pr_cross_review', mode: 'ask', model: 'gemini-3.1-pro' }],
    });
  });

  it('recorded debug cycles trigger the escalation suggestion across invocations', async () => {
    repo = tempRepo();
    withConfig(repo);
    repo.commitAll('config');
    const env = isolated();
    expect(mm(['debug', 'fail', '--note', 'tried clearing the cache'], { cwd: repo.dir, env }).code).toBe(0);
    // mm's own state never shows up as part of the user's change.
    expect(repo.git('status', '--porcelain')).toBe('');
    expect((await mmIn(['check', '--json'], { cwd: repo.dir, env })).json().suggestions).toEqual([]);
    await mmIn(['debug', 'fail'], { cwd: repo.dir, env });
    const status = (await mmIn(['debug', 'status', '--json'], { cwd: repo.dir, env })).json();
    expect(status).toMatchObject({
      failed_cycles: 2,
      threshold: 2,
      escalation_suggested: true,
      notes: [{ note: 'tried clearing the cache' }],
    });
    const check = (await mmIn(['check', '--json'], { cwd: repo.dir, env })).json();
    expect(check.debug_cycles).toBe(2);
    expect(check.suggestions[0]).toMatchObject({ checkpoint: 'debug_escalation', mode: 'ask', model: 'gpt-5.3-codex' });
    expect((await mmIn(['debug', 'reset', '--json'], { cwd: repo.dir, env })).json().failed_cycles).toBe(0);
    expect((await mmIn(['check', '--json', '--debug-cycles', '3'], { cwd: repo.dir, env })).json().debug_cycles).toBe(
      3,
    );
  });

  it('a corrupt run state is a clear error that debug reset recovers from', async () => {
    repo = tempRepo();
    const env = isolated();
    await mmIn(['debug', 'fail'], { cwd: repo.dir, env });
    const id = readFileSync(join(repo.dir, '.claude', 'mm', 'runs', 'CURRENT'), 'utf8').trim();
    writeFileSync(join(repo.dir, '.claude', 'mm', 'runs', id, 'state.json'), '{oops');
    const bad = await mmIn(['check'], { cwd: repo.dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not valid JSON');
    expect((await mmIn(['debug', 'reset'], { cwd: repo.dir, env })).code).toBe(0);
    expect((await mmIn(['check'], { cwd: repo.dir, env })).code).toBe(0);
  });

  it('outside a git repository, or with a bad ref, exits 2 and says so', async () => {
    const outside = await mmIn(['check'], { cwd: tempDir() });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('not inside a git work tree');
    repo = tempRepo();
    const badRef = await mmIn(['check', '--base', 'nope'], { cwd: repo.dir });
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toContain('unknown git ref "nope"');
    expect((await mmIn(['check', '--base', 'main', '--staged'], { cwd: repo.dir })).code).toBe(2);
  });
});

describe('mm models and mm doctor', () => {
  it('models --json lists the registry with enabled and access status', async () => {
    repo = tempRepo();
    withConfig(repo);
    const r = await mmIn(['models', '--json'], {
      cwd: repo.dir,
      env: { ...isolated(), PATH: '/usr/bin:/bin', OPENAI_API_KEY: '', GEMINI_API_KEY: 'x' },
    });
    expect(r.code).toBe(0);
    const byId = Object.fromEntries(r.json().models.map((m: { id: string }) => [m.id, m]));
    expect(byId['gpt-5.3-codex']).toMatchObject({ enabled: true, available: { present: false } });
    expect(byId['nano-banana-pro']).toMatchObject({
      enabled: true,
      available: { present: true, detail: 'GEMINI_API_KEY set' },
    });
    expect(byId['local-llm'].enabled).toBe(false);
    expect(mm(['models', '--offline', '--json'], { cwd: repo.dir }).json().models[0].available).toBeNull();
  });

  it('doctor says how to fix each missing piece and exits 1 when something enabled is not ready', async () => {
    repo = tempRepo();
    withConfig(repo);
    const r = await mmIn(['doctor'], {
      cwd: repo.dir,
      env: { ...isolated(), PATH: '/usr/bin:/bin', OPENAI_API_KEY: '', GEMINI_API_KEY: '', GOOGLE_API_KEY: '' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ codex\s+enabled\s+codex not on PATH\n\s+fix: npm install -g @openai\/codex/);
    expect(r.stdout).toContain('not ready');
    const zero = await mmIn(['doctor', '--json'], { cwd: tempDir() });
    expect(zero.code).toBe(0);
    expect(zero.json().ready).toBe(true);
  });
});
