import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyseChange } from '../../src/git/change.ts';
import { baseCheckCalls, git, HEAD_CHECK_CALLS, startEarly } from '../../src/git/git.ts';
import { MmError } from '../../src/util/errors.ts';
import { mm } from '../helpers/mm.ts';
import { tempDir, tempRepo, type TempRepo } from '../helpers/repo.ts';

let repo: TempRepo | undefined;
let cleanups: Array<() => void> = [];
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});

/** Waits until git has certainly written everything (its output is then held, not streamed). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * A git first on PATH that logs each call (its arguments in brackets, and whether a shell
 * started it, as src/cli/early.ts does, or node itself) and then runs the real git.
 */
function loggingGit(): { path: string; calls: () => string[] } {
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const bin = tempDir('mm-logging-git-');
  cleanups.push(() => rmSync(bin, { recursive: true, force: true }));
  const log = join(bin, 'calls');
  writeFileSync(
    join(bin, 'git'),
    // One write per call: calls run side by side.
    `#!/bin/sh\nline="$(ps -o comm= -p $PPID | tr -d ' ')"\nfor a in "$@"; do line="$line[$a]"; done\nprintf '%s\\n' "$line" >> "${log}"\nexec "${realGit}" "$@"\n`,
  );
  chmodSync(join(bin, 'git'), 0o755);
  return {
    path: `${bin}:${process.env.PATH}`,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []),
  };
}

function changedRepo(): TempRepo {
  const r = tempRepo();
  r.write('src/auth.ts', 'export const a = 1;\n');
  r.write('src/big.ts', 'export const x = 0;\n');
  r.commitAll();
  r.write('src/auth.ts', 'export const token = verifyAccessToken(req); // «clé» ✓\n');
  // Large enough that git writes it in many pieces.
  r.write('src/big.ts', Array.from({ length: 20000 }, (_, i) => `export const apiKey${i} = "ü${i}";`).join('\n'));
  r.write('notes/new.md', 'session cookie\n');
  return r;
}

describe('git calls started before they are asked for (src/cli/early.ts)', () => {
  it('mm check reports the same whether its git calls were started early, still running or done', async () => {
    repo = changedRepo();
    const direct = await analyseChange(repo.dir, { kind: 'head' }, []);
    startEarly(HEAD_CHECK_CALLS, repo.dir);
    const running = await analyseChange(repo.dir, { kind: 'head' }, []);
    startEarly(HEAD_CHECK_CALLS, repo.dir);
    await settle();
    const done = await analyseChange(repo.dir, { kind: 'head' }, []);
    expect(running).toEqual(direct);
    expect(done).toEqual(direct);
    expect(direct.files.map((f) => f.path).sort()).toEqual(['notes/new.md', 'src/auth.ts', 'src/big.ts']);
  });

  it('analyseChange takes the early calls over: each git call runs once (a git on PATH that logs its calls)', async () => {
    repo = changedRepo();
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const bin = tempDir('mm-logging-git-');
    cleanups.push(() => rmSync(bin, { recursive: true, force: true }));
    const log = join(bin, 'calls');
    writeFileSync(join(bin, 'git'), `#!/bin/sh\necho "$*" >> "${log}"\nexec "${realGit}" "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      startEarly(HEAD_CHECK_CALLS, repo.dir);
      await analyseChange(repo.dir, { kind: 'head' }, []);
    } finally {
      process.env.PATH = path;
    }
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls).toHaveLength(HEAD_CHECK_CALLS.length);
  });

  it('mm check --base reports the same whether its git calls were started early, still running or done', async () => {
    repo = changedRepo();
    repo.commitAll('second');
    repo.write('src/auth.ts', 'export const session = readCookie(req);\n');
    const scope = { kind: 'base', ref: 'HEAD~1' } as const;
    const direct = await analyseChange(repo.dir, scope, []);
    startEarly(baseCheckCalls('HEAD~1')!, repo.dir);
    const running = await analyseChange(repo.dir, scope, []);
    startEarly(baseCheckCalls('HEAD~1')!, repo.dir);
    await settle();
    const done = await analyseChange(repo.dir, scope, []);
    expect(running).toEqual(direct);
    expect(done).toEqual(direct);
    expect(direct.compared).toBe('working tree vs merge base with HEAD~1');
    expect(direct.files.map((f) => f.path).sort()).toEqual(['notes/new.md', 'src/auth.ts', 'src/big.ts']);
  });

  it('the built mm check --base REF (and --base=REF) starts its three git calls early and runs each once', () => {
    repo = changedRepo();
    repo.commitAll('second');
    const git = loggingGit();
    for (const args of [
      ['check', '--base', 'HEAD~1', '--json'],
      ['check', '--json', '--base=HEAD~1'],
    ]) {
      const before = git.calls().length;
      const r = mm(args, { cwd: repo.dir, env: { PATH: git.path } });
      expect(r.code).toBe(0);
      expect(r.json().compared).toBe('working tree vs merge base with HEAD~1');
      const calls = git.calls().slice(before);
      expect(calls).toHaveLength(3);
      // All three from the early start's shell, none again from node (the handler).
      expect(calls.filter((c) => c.startsWith('node['))).toEqual([]);
      expect(calls.some((c) => c.includes('[--merge-base][HEAD~1^{commit}]'))).toBe(true);
    }
  });

  it('argv injection through --base never reaches git as an option or the early shell as code: nothing written, errors as before', () => {
    repo = changedRepo();
    repo.commitAll('second');
    const git = loggingGit();
    const out = join(repo.dir, 'written');
    const cases: Array<{ args: string[]; code: number; error?: string }> = [
      { args: ['--base=--output=' + out], code: 2, error: `invalid git ref "--output=${out}"` },
      { args: ['--json', '--base=--output=' + out], code: 2, error: `invalid git ref "--output=${out}"` },
      { args: ['--base=-p --output=' + out], code: 2, error: `invalid git ref "-p --output=${out}"` },
      { args: ['--base', '--output=' + out], code: 2, error: 'mm check: --base needs a value (REF)' },
      { args: ['--config', '--base', '--output=' + out], code: 2, error: 'mm check: --config needs a value (FILE)' },
      // The last --base counts; either order, the one with a dash never reaches git.
      { args: ['--base', 'HEAD', '--base=--output=' + out], code: 2, error: `invalid git ref "--output=${out}"` },
      { args: ['--base=--output=' + out, '--base', 'HEAD~1'], code: 0 },
      { args: ['--', '--base=--output=' + out], code: 2, error: `unexpected argument "--base=--output=${out}"` },
      { args: ['--base='], code: 2, error: 'unknown git ref "": no commit by that name in this repository' },
      // Quotes and command substitutions are text to the early start's shell.
      { args: ['--base', `x'; touch '${out}'; '`], code: 2, error: 'unknown git ref "x\'; touch' },
      { args: ['--base', `$(touch '${out}')`], code: 2, error: 'unknown git ref "$(touch' },
      { args: ['--base', `\`touch '${out}'\``], code: 2, error: 'unknown git ref "`touch' },
    ];
    for (const c of cases) {
      const r = mm(['check', ...c.args], { cwd: repo.dir, env: { PATH: git.path } });
      expect({ args: c.args, code: r.code }).toEqual({ args: c.args, code: c.code });
      if (c.error) expect(r.stderr).toContain(c.error);
      expect(existsSync(out)).toBe(false);
    }
    const calls = git.calls();
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call).not.toContain('[--output');
      expect(call).not.toContain('[-p');
      expect(call).not.toMatch(/\[touch/);
    }
  });

  it('and in a repository with no commits yet (the calls fail, then mm diffs against the empty tree)', async () => {
    repo = tempRepo({ commit: false });
    repo.write('a.py', 'password = 1\n');
    repo.git('add', 'a.py');
    const direct = await analyseChange(repo.dir, { kind: 'head' }, []);
    startEarly(HEAD_CHECK_CALLS, repo.dir);
    await settle();
    expect(await analyseChange(repo.dir, { kind: 'head' }, [])).toEqual(direct);
    expect(direct.compared).toBe('working tree (no commits yet)');
  });

  it('an early call is collected once; the next identical call runs git again', async () => {
    repo = changedRepo();
    const args = ['rev-parse', 'HEAD'];
    startEarly([args, ['status', '--porcelain']], repo.dir);
    const first = await git(args, repo.dir);
    repo.commitAll('moved on');
    const second = await git(args, repo.dir);
    expect(first.code).toBe(0);
    expect(second.stdout).not.toBe(first.stdout);
    expect(second.stdout.trim()).toBe(repo.git('rev-parse', 'HEAD').trim());
  });

  it('without git on PATH an early call fails like a direct one: "git is not installed"', async () => {
    repo = changedRepo();
    const path = process.env.PATH;
    const empty = tempDir('mm-no-git-');
    cleanups.push(() => rmSync(empty, { recursive: true, force: true }));
    process.env.PATH = empty;
    try {
      startEarly(HEAD_CHECK_CALLS, repo.dir);
      const err = await analyseChange(repo.dir, { kind: 'head' }, []).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MmError);
      expect((err as MmError).message).toBe('git is not installed or not on PATH');
    } finally {
      process.env.PATH = path;
    }
  });

  it('calls nobody collects do not keep mm from exiting (mm check --bogus with a git that hangs)', async () => {
    repo = changedRepo();
    const bin = tempDir('mm-hanging-git-');
    cleanups.push(() => rmSync(bin, { recursive: true, force: true }));
    const pids = join(bin, 'pids');
    writeFileSync(join(bin, 'git'), `#!/bin/sh\necho $$ >> "${pids}"\nexec sleep 60\n`);
    chmodSync(join(bin, 'git'), 0o755);
    cleanups.push(() => {
      if (!existsSync(pids)) return;
      for (const pid of readFileSync(pids, 'utf8').split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid));
        } catch {
          // already gone
        }
      }
    });
    const r = mm(['check', '--bogus'], { cwd: repo.dir, env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown flag --bogus');
    // The hanging git was started (early), and mm exited anyway.
    await until(() => existsSync(pids));
    expect(existsSync(pids)).toBe(true);
  });
});
