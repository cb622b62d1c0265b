/**
 * Applying a stored patch to the user's tree (develop and pipeline `apply`). The patch was
 * taken against HEAD plus the user's uncommitted work, so a plain `git apply` is tried
 * first; `--3way` only when that fails (it refuses files with unstaged changes).
 */
import { git, gitOk } from './git.ts';

export async function applyToTree(
  repo: string,
  patchFile: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const plain = await git(['apply', '--check', patchFile], repo);
  const how = plain.code === 0 ? [] : ['--3way'];
  if (how.length) {
    const check = await git(['apply', '--check', '--3way', patchFile], repo);
    if (check.code !== 0) return { ok: false, reason: check.stderr.trim().split('\n')[0] ?? 'git apply failed' };
  }
  await gitOk(['apply', ...how, patchFile], repo);
  return { ok: true };
}
