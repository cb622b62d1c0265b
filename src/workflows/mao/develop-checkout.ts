/**
 * Phase 5's isolated checkout: a clone of the user's repository (its own .git, no hooks,
 * see git/temp-clones.ts) at HEAD plus the user's uncommitted work — the working-tree
 * diff against HEAD (staged and unstaged) and the untracked files git does not ignore —
 * committed there as a snapshot. The workstreams' outputs land on top of the snapshot, so
 * the combined patch is taken against what the user actually has, and applies to it.
 * The user's tree is only read.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, gitOk } from '../../git/git.ts';
import type { CloneSet } from '../../git/temp-clones.ts';
import { MmError } from '../../util/errors.ts';

/** The run store and mm's own state never travel into the checkout. */
const NEVER_CARRIED = ['.claude/mm/'];

const COMMIT_AS = ['-c', 'user.name=mm develop', '-c', 'user.email=mm@localhost', '-c', 'commit.gpgsign=false'];

export interface IsolatedCheckout {
  dir: string;
  /** The user's HEAD. */
  head: string;
  /** The commit in the checkout holding HEAD plus the uncommitted work (HEAD itself when there is none). */
  snapshot: string;
  /** Uncommitted paths carried over (changed tracked files and untracked files). */
  carried: string[];
}

export async function isolatedCheckout(repo: string, clones: CloneSet): Promise<IsolatedCheckout> {
  const head = (await gitOk(['rev-parse', 'HEAD'], repo)).trim();
  const dir = await clones.add('checkout', head);
  const diff = await gitOk(['diff', '--binary', '--no-ext-diff', 'HEAD', '--'], repo);
  const carried: string[] = [];
  if (diff.trim()) {
    const file = join(clones.base, 'uncommitted.patch');
    writeFileSync(file, diff);
    const applied = await git(['apply', '--whitespace=nowarn', '--binary', file], dir);
    if (applied.code !== 0)
      throw new MmError(
        'input',
        `could not copy your uncommitted changes into the isolated checkout: ${applied.stderr.trim().split('\n')[0]}`,
      );
    carried.push(...(await gitOk(['diff', '--name-only', 'HEAD', '--'], repo)).split('\n').filter(Boolean));
  }
  const untracked = (await gitOk(['ls-files', '--others', '--exclude-standard', '-z'], repo))
    .split('\0')
    .filter((p) => p && !NEVER_CARRIED.some((n) => p.startsWith(n)));
  for (const p of untracked) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    cpSync(join(repo, p), join(dir, p), { dereference: false });
  }
  carried.push(...untracked);
  if (carried.length) {
    await gitOk(['add', '-A'], dir);
    await gitOk([...COMMIT_AS, 'commit', '--quiet', '--no-verify', '-m', 'mm develop: uncommitted work'], dir);
  }
  const snapshot = (await gitOk(['rev-parse', 'HEAD'], dir)).trim();
  return { dir, head, snapshot, carried };
}

/** Commits the checkout's current state (the base the referee's candidates start from). */
export async function commitAll(dir: string, message: string): Promise<string> {
  await gitOk(['add', '-A'], dir);
  await gitOk([...COMMIT_AS, 'commit', '--quiet', '--no-verify', '--allow-empty', '-m', message], dir);
  return (await gitOk(['rev-parse', 'HEAD'], dir)).trim();
}
