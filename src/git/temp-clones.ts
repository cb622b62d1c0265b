/**
 * Temporary clones of the user's repository (referee candidates, the debug escalation's
 * scratch copy). A clone, not a `git worktree`: a worktree shares the user's .git (refs,
 * hooks, config), so code run in it could move the user's branches or install a hook
 * that runs on their next commit. Each clone has its own .git with copied objects (no
 * hardlinks, no alternates), no hooks, and no remote naming the checkout's path.
 *
 * Each set lives in its own temp folder with an owner file (mm's pid); a set whose owner
 * died (`kill -9`) is removed by the next set made under the same temp root. Removal is
 * synchronous so it can run from an interrupt cleanup or on 'exit'.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitOk } from './git.ts';

const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];
const OWNER_FILE = '.mm-owner';
/** A set younger than this is never pruned, whatever its owner file says (it may be mid-creation). */
const PRUNE_MIN_AGE_MS = 60_000;

export class CloneSet {
  private readonly repo: string;
  readonly base: string;
  private readonly tempRoot: string;

  constructor(repo: string, tempRoot = tmpdir(), prefix = 'mm-referee-') {
    this.repo = repo;
    this.tempRoot = tempRoot;
    this.base = ownedTempDir(tempRoot, prefix);
  }

  /** A clone named `name` with `commit` checked out (detached). */
  async add(name: string, commit: string): Promise<string> {
    const path = join(this.base, name);
    // --template= : no hooks from the user's init.templateDir; --no-hardlinks: the
    // clone's object files are its own, so nothing written there reaches the user's.
    await gitOk(
      [...NO_HOOKS, 'clone', '--quiet', '--no-checkout', '--no-hardlinks', '--template=', this.repo, path],
      this.tempRoot,
    );
    await gitOk(['remote', 'remove', 'origin'], path);
    await gitOk([...NO_HOOKS, 'checkout', '--quiet', '--detach', commit], path);
    return path;
  }

  /** Removes every clone and the temp folder; never throws. */
  removeAllSync(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}

/** A new temp folder owned by this process; first removes those of `prefix` whose owner died. */
export function ownedTempDir(tempRoot: string, prefix: string): string {
  pruneStaleSets(tempRoot, prefix);
  const dir = mkdtempSync(join(tempRoot, prefix));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  return dir;
}

/** Removes sets under `tempRoot` whose owning mm process is gone. */
function pruneStaleSets(tempRoot: string, prefix: string, now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(tempRoot).filter((n) => n.startsWith(prefix));
  } catch {
    return removed;
  }
  for (const name of names) {
    const dir = join(tempRoot, name);
    let pid: number;
    try {
      pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // not one of ours, or not finished being made
    }
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid) || now - ownerAge(dir) < PRUNE_MIN_AGE_MS) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/** When the set's owner file was written (its mtime); now if it cannot be read. */
function ownerAge(dir: string): number {
  try {
    return statSync(join(dir, OWNER_FILE)).mtimeMs;
  } catch {
    return Date.now();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}
