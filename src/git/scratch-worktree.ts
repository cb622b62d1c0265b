/**
 * A throwaway clone (its own .git, see temp-clones.ts) holding the user's current state
 * (HEAD plus uncommitted and untracked changes), so a model may edit and run things
 * without touching the user's checkout. Always removed afterwards: when the work throws,
 * and on Ctrl-C too.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { classifyRun, onInterrupt, runProcess, tail } from '../process/runner.ts';
import { MmError } from '../util/errors.ts';
import { gitOk } from './git.ts';
import { CloneSet } from './temp-clones.ts';

export async function withScratchWorktree<T>(root: string, work: (dir: string) => Promise<T>): Promise<T> {
  const clones = new CloneSet(root, tmpdir(), 'mm-scratch-');
  // On Ctrl-C the process runner kills its children, runs this and exits (skipping `finally`).
  const offInterrupt = onInterrupt(() => clones.removeAllSync());
  try {
    const dir = await clones.add('tree', 'HEAD');
    await copyUncommitted(root, dir);
    return await work(dir);
  } finally {
    offInterrupt();
    clones.removeAllSync();
  }
}

/** Copies the uncommitted and untracked (not ignored) changes of `root` into the worktree `dir`. */
export async function copyUncommitted(root: string, dir: string): Promise<void> {
  const patch = await gitOk(['diff', '--binary', 'HEAD'], root);
  if (patch.trim()) await applyPatch(dir, patch);
  const untracked = (await gitOk(['ls-files', '--others', '--exclude-standard', '-z'], root))
    .split('\0')
    .filter(Boolean);
  for (const path of untracked) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    try {
      copyFileSync(join(root, path), join(dir, path));
    } catch {
      // vanished or unreadable: the scratch copy simply lacks it
    }
  }
}

async function applyPatch(dir: string, patch: string): Promise<void> {
  const r = await runProcess({
    command: 'git',
    args: ['apply', '--whitespace=nowarn', '-'],
    input: patch,
    cwd: dir,
    timeoutMs: 120_000,
  });
  if (r.exitCode !== 0)
    throw new MmError(
      'failed',
      `could not copy uncommitted changes into the scratch clone: ${r.spawnError ?? (tail(r.stderr, 3) || classifyRun(r).reason)}`,
    );
}
