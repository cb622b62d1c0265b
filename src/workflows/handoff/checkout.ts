/**
 * The coder's isolated checkout: a detached git worktree under `.claude/mm/checkouts/`
 * holding the user's current state (HEAD plus uncommitted and untracked changes),
 * committed there as a base snapshot so the coder's work is exactly `git diff <base>`.
 * The user's working tree is never written; the patch reaches it only through
 * `mm handoff apply`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { git, gitOk, repoInfo } from '../../git/git.ts';
import { copyUncommitted } from '../../git/scratch-worktree.ts';
import { MmError } from '../../util/errors.ts';
import { ensureMmStateIgnored, mmStateDir } from '../../util/mm-state.ts';
import { linkFromCheckout } from '../../git/links.ts';

const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];
const AS_MM = ['-c', 'user.name=mm', '-c', 'user.email=mm@localhost', '-c', 'commit.gpgsign=false'];

export interface IsolatedCheckout {
  /** The user's repository (the worktree's owner). */
  repo: string;
  /** The worktree's top. */
  dir: string;
  /** Where the project root sits inside it (the coder's working directory). */
  workdir: string;
  /** The base snapshot commit: the user's state when the handoff started. */
  base: string;
  /** Paths symlinked from the user's tree (node_modules…), left out of the patch. */
  links: string[];
}

export async function createCheckout(
  projectRoot: string,
  name: string,
  links: string[] = [],
): Promise<IsolatedCheckout> {
  const { root: repo, head } = await repoInfo(projectRoot);
  if (!head)
    throw new MmError('not_a_repo', 'mm handoff run needs a commit to start from (the repository has none yet)', {
      hint: 'commit once, then run it again',
    });
  ensureMmStateIgnored(projectRoot);
  const dir = join(mmStateDir(projectRoot), 'checkouts', name);
  if (existsSync(dir)) throw new MmError('failed', `checkout folder ${dir} already exists`);
  await gitOk([...NO_HOOKS, 'worktree', 'add', '--detach', '--quiet', dir, head], repo);
  try {
    await copyUncommitted(repo, dir);
    const linked = links.map((l) => {
      linkFromCheckout(l, repo, dir);
      return relative(repo, join(repo, l));
    });
    await gitOk(['add', '-A', '--', '.', ...excludes(linked)], dir);
    await gitOk(
      [...NO_HOOKS, ...AS_MM, 'commit', '-q', '--allow-empty', '--no-verify', '-m', 'mm: base snapshot'],
      dir,
    );
    const base = (await gitOk(['rev-parse', 'HEAD'], dir)).trim();
    return { repo, dir, workdir: join(dir, relative(repo, projectRoot)), base, links: linked };
  } catch (e) {
    removeCheckout(repo, dir);
    throw e;
  }
}

const excludes = (paths: string[]) => paths.map((p) => `:(exclude)${p}`);

export interface CheckoutChange {
  /** `git diff --binary` against the base: what `mm handoff apply` applies. */
  patch: string;
  files: Array<{ path: string; action: 'Created' | 'Modified' | 'Deleted'; added: number; removed: number }>;
}

/** Everything the coder changed since the base (committed or not, new files included). */
export async function changeSince(checkout: IsolatedCheckout): Promise<CheckoutChange> {
  const ex = excludes(checkout.links);
  await gitOk(['add', '-A', '--', '.', ...ex], checkout.dir);
  const range = ['--cached', '--no-renames', checkout.base, '--', '.', ...ex];
  const [patch, numstat, status] = await Promise.all([
    gitOk(['diff', '--binary', ...range], checkout.dir),
    gitOk(['diff', '--numstat', ...range], checkout.dir),
    gitOk(['diff', '--name-status', ...range], checkout.dir),
  ]);
  const actions = new Map<string, string>();
  for (const line of status.split('\n')) {
    const [code, path] = line.split('\t');
    if (code && path) actions.set(path, code);
  }
  const files = numstat
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((c) => c.length >= 3)
    .map(([a, r, path]) => ({
      path: path!,
      action: (actions.get(path!) === 'A' ? 'Created' : actions.get(path!) === 'D' ? 'Deleted' : 'Modified') as
        | 'Created'
        | 'Modified'
        | 'Deleted',
      added: a === '-' ? 0 : Number(a),
      removed: r === '-' ? 0 : Number(r),
    }));
  return { patch, files };
}

/** Removes the worktree and its folder; never throws (also used on the way out of an error). */
export function removeCheckout(repo: string, dir: string): void {
  try {
    execFileSync('git', ['worktree', 'remove', '--force', '--force', dir], { cwd: repo, stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    try {
      execFileSync('git', ['worktree', 'prune'], { cwd: repo, stdio: 'ignore' });
    } catch {
      // nothing to prune
    }
  }
}

/** Applies a patch to the user's tree, or refuses with git's reason and changes nothing. */
export async function applyPatch(
  repoDir: string,
  patchFile: string,
): Promise<{ applied: true } | { applied: false; reason: string; alreadyApplied: boolean }> {
  const check = await git(['apply', '--check', '--binary', '--whitespace=nowarn', patchFile], repoDir);
  if (check.code !== 0) {
    const reverse = await git(['apply', '--check', '--reverse', '--binary', patchFile], repoDir);
    return { applied: false, reason: check.stderr.trim(), alreadyApplied: reverse.code === 0 };
  }
  await gitOk(['apply', '--binary', '--whitespace=nowarn', patchFile], repoDir);
  return { applied: true };
}
