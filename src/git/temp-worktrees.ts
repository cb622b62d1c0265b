/**
 * Temporary git worktrees (referee candidates, the debug escalation's scratch copy). Each
 * set lives in its own temp folder; every worktree is detached (no branch is created),
 * hooks are off (the user's post-checkout hook must not run for us), and removal is
 * synchronous so it can also run from a SIGINT handler or on 'exit'.
 * The user's checkout is never touched; git only records the worktree under .git/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitOk } from './git.ts';

const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];

export class WorktreeSet {
  private readonly repo: string;
  private readonly base: string;
  private readonly paths: string[] = [];

  constructor(repo: string, tempRoot = tmpdir(), prefix = 'mm-referee-') {
    this.repo = repo;
    this.base = mkdtempSync(join(tempRoot, prefix));
  }

  async add(name: string, commit: string): Promise<string> {
    const path = join(this.base, name);
    this.paths.push(path); // recorded first: a half-made worktree is cleaned up too
    await gitOk([...NO_HOOKS, 'worktree', 'add', '--detach', '--quiet', path, commit], this.repo);
    return path;
  }

  /** Removes every worktree and the temp folder; never throws. */
  removeAllSync(): void {
    let stale = false;
    for (const path of this.paths.splice(0)) {
      try {
        execFileSync('git', ['worktree', 'remove', '--force', '--force', path], { cwd: this.repo, stdio: 'ignore' });
      } catch {
        stale = true; // half-made or already gone: its record is pruned below
      }
    }
    rmSync(this.base, { recursive: true, force: true });
    // Prune only when needed: it also drops records of the user's own missing worktrees.
    if (!stale) return;
    try {
      execFileSync('git', ['worktree', 'prune'], { cwd: this.repo, stdio: 'ignore' });
    } catch {
      // nothing left to prune
    }
  }
}
