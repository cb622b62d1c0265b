/**
 * Attack corpus for issue 10, family 6: a referee candidate's test command is hostile and
 * tries to reach the user's checkout through git (shared refs, hooks, config), through
 * paths it can discover (remote URL, GIT_DIR in the environment), and tries to outlive the
 * run by leaving its session (setsid). Each case asserts the checkout is as it was.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runReferee } from '../../src/workflows/referee/referee.ts';
import { exits } from '../helpers/process.ts';
import { tempDir, tempRepo, type TempRepo } from '../helpers/repo.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function calcRepo(): TempRepo {
  const repo = tempRepo();
  cleanups.push(() => repo.cleanup());
  repo.write('calc.js', 'exports.add = () => 0;\n');
  repo.write('test.js', "if (require('./calc').add(2, 3) !== 5) process.exit(1);\n");
  repo.commitAll('base');
  repo.git('checkout', '-q', '-b', 'ok');
  repo.write('calc.js', 'exports.add = (a, b) => a + b;\n');
  repo.commitAll('ok');
  repo.git('checkout', '-q', 'main');
  return repo;
}

function tempRoot(): string {
  const dir = tempDir('mm-referee-root-');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Everything of the user's repository a candidate must not change. */
function state(repo: TempRepo) {
  const gitDir = join(repo.dir, '.git');
  return {
    refs: repo.git('for-each-ref', '--format=%(refname) %(objectname)'),
    head: repo.git('rev-parse', 'HEAD'),
    status: repo.git('status', '--porcelain', '--untracked-files=all', '--ignored'),
    config: readFileSync(join(gitDir, 'config'), 'utf8'),
    hooks: spawnSync('ls', [join(gitDir, 'hooks')]).stdout.toString(),
    worktrees: repo.git('worktree', 'list', '--porcelain'),
  };
}

async function attack(test: string, env?: NodeJS.ProcessEnv) {
  const repo = calcRepo();
  const before = state(repo);
  await runReferee({ a: 'ok', b: 'ok', test, cwd: repo.dir, root: tempRoot(), tempRoot: tempRoot(), env });
  return { repo, before, after: state(repo) };
}

describe('referee candidates cannot touch the checkout (attack corpus)', () => {
  it('cannot write a file into the checkout through the git common dir', async () => {
    const { repo, before, after } = await attack('echo pwned > "$(git rev-parse --git-common-dir)/../pwned.txt"; true');
    expect(existsSync(join(repo.dir, 'pwned.txt'))).toBe(false);
    expect(after).toEqual(before);
  });

  it("cannot move the user's branches with git update-ref", async () => {
    const { before, after } = await attack('git update-ref refs/heads/main HEAD && git branch -f evil HEAD; true');
    expect(after.refs).toBe(before.refs);
  });

  it('cannot install a hook that would run on the next commit', async () => {
    const { repo, after, before } = await attack(
      'h="$(git rev-parse --git-common-dir)/hooks/pre-commit"; printf "#!/bin/sh\\ntouch hooked\\n" > "$h"; chmod +x "$h"; true',
    );
    expect(after.hooks).toBe(before.hooks);
    expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });

  it("cannot change the user's git config (core.hooksPath, aliases)", async () => {
    const { before, after } = await attack(
      'git config core.hooksPath /tmp/evil-hooks; git config alias.st "!touch x"; true',
    );
    expect(after.config).toBe(before.config);
  });

  it('cannot find the checkout through the remote URL', async () => {
    const { repo, before, after } = await attack(
      'u="$(git config remote.origin.url)"; [ -n "$u" ] && echo pwned > "$u/pwned.txt"; true',
    );
    expect(existsSync(join(repo.dir, 'pwned.txt'))).toBe(false);
    expect(after).toEqual(before);
  });

  it("ignores GIT_DIR / GIT_WORK_TREE in mm's environment (mm run from a git hook)", async () => {
    const repo = calcRepo();
    const before = state(repo);
    await runReferee({
      a: 'ok',
      b: 'ok',
      test: 'git update-ref refs/heads/main HEAD~1; echo x > pwned.txt; git add pwned.txt; true',
      cwd: repo.dir,
      root: tempRoot(),
      tempRoot: tempRoot(),
      env: { ...process.env, GIT_DIR: join(repo.dir, '.git'), GIT_WORK_TREE: repo.dir },
    });
    expect(state(repo)).toEqual(before);
  });

  it('a process that setsids away is killed when the run ends', async () => {
    const marker = `sleep 41.${process.pid}`;
    const pidFile = join(tempRoot(), 'escaped.pid');
    await attack(`setsid sh -c 'echo $$ > ${pidFile}; exec ${marker}' </dev/null >/dev/null 2>&1 & node test.js`);
    expect(await exits(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('a process that setsids away and keeps the pipes is killed on timeout too', async () => {
    const marker = `sleep 43.${process.pid}`;
    const pidFile = join(tempRoot(), 'escaped.pid');
    const repo = calcRepo();
    const v = await runReferee({
      a: 'ok',
      b: 'ok',
      test: `setsid sh -c 'echo $$ > ${pidFile}; exec ${marker}' & wait`,
      cwd: repo.dir,
      root: tempRoot(),
      tempRoot: tempRoot(),
      timeoutSec: 1,
    });
    expect(v.candidates.a.timedOut).toBe(true);
    expect(await exits(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  }, 30_000);
});
