/**
 * `--link PATH`: an untracked path of the user's checkout (node_modules, a virtualenv)
 * symlinked into a scratch clone or worktree so its tests can run there. Links are the
 * user's, never the model's work: callers keep them out of every patch.
 */
import { appendFileSync, existsSync, lstatSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { MmError } from '../util/errors.ts';

/** Each link as a path relative to `repo`; refused before any work when one is outside it or missing. */
export function checkLinks(links: readonly string[], repo: string): string[] {
  return links.map((linkPath) => {
    const abs = resolve(repo, linkPath);
    const rel = relative(repo, abs);
    if (!rel || rel.startsWith('..') || !existsSync(abs))
      throw new MmError('input', `--link ${linkPath}: no such path inside the repository`);
    return rel;
  });
}

/** Symlinks an untracked path of the checkout into a worktree, unless the worktree has its own. */
export function linkFromCheckout(linkPath: string, repo: string, worktree: string): void {
  placeLink(checkLinks([linkPath], repo)[0]!, repo, worktree);
}

/** `rel` (already checked) from `repo` into `worktree`; a path the worktree has is left alone. */
function placeLink(rel: string, repo: string, worktree: string): void {
  const target = join(worktree, rel);
  if (existsSync(target) || isBrokenLink(target)) return; // the candidate has its own
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(join(repo, rel), target);
}

/**
 * Links into a clone (its own .git folder) and lists them in its .git/info/exclude, so
 * `git add -A` there never takes them into a snapshot or a patch: a symlink is not a
 * folder to git, so the user's `node_modules/` ignore rule does not cover it.
 */
export function linkIgnored(links: readonly string[], repo: string, clone: string): void {
  const rels = checkLinks(links, repo);
  for (const rel of rels) placeLink(rel, repo, clone);
  if (!rels.length) return;
  // Clones made with --template= (temp-clones.ts) have no info folder yet.
  mkdirSync(join(clone, '.git', 'info'), { recursive: true });
  appendFileSync(join(clone, '.git', 'info', 'exclude'), rels.map((r) => `\n/${r}`).join('') + '\n');
}

const isBrokenLink = (p: string) => {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};
