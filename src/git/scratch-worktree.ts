/**
 * A throwaway git worktree holding the user's current state (HEAD plus uncommitted and
 * untracked changes), so a model may edit and run things without touching the user's
 * working tree. Always removed afterwards, even when the work throws.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git, gitOk } from './git.ts';

export async function withScratchWorktree<T>(root: string, work: (dir: string) => Promise<T>): Promise<T> {
  const parent = mkdtempSync(join(tmpdir(), 'mm-scratch-'));
  const dir = join(parent, 'tree');
  await gitOk(['worktree', 'add', '--detach', '--quiet', dir, 'HEAD'], root);
  try {
    await copyUncommitted(root, dir);
    return await work(dir);
  } finally {
    await git(['worktree', 'remove', '--force', dir], root);
    rmSync(parent, { recursive: true, force: true });
    await git(['worktree', 'prune'], root);
  }
}

async function copyUncommitted(root: string, dir: string): Promise<void> {
  const patch = await gitOk(['diff', '--binary', 'HEAD'], root);
  if (patch.trim()) await applyPatch(dir, patch);
  const untracked = (await gitOk(['ls-files', '--others', '--exclude-standard', '-z'], root)).split('\0').filter(Boolean);
  for (const path of untracked) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    try {
      copyFileSync(join(root, path), join(dir, path));
    } catch {
      // vanished or unreadable: the scratch copy simply lacks it
    }
  }
}

function applyPatch(dir: string, patch: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['apply', '--whitespace=nowarn', '-'], { cwd: dir, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`could not copy uncommitted changes into the scratch worktree: ${err.trim()}`))));
    child.stdin.end(patch);
  });
}
