/**
 * Phase C's isolation: each patch role's answer is applied in its own scratch clone of the
 * user's current state (HEAD plus uncommitted work, src/git/scratch-worktree.ts), the
 * configured verification commands run there, and the change comes back as a patch
 * against that state. The user's tree is never written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../../config/schema.ts';
import { git, gitOk, repoRoot } from '../../git/git.ts';
import { linkIgnored } from '../../git/links.ts';
import { withScratchWorktree } from '../../git/scratch-worktree.ts';
import { extractCandidate } from '../fanout/materialize.ts';
import { runVerification, type VerifyResult } from '../referee/run-tests.ts';

export interface CandidateCheck {
  role: string;
  /** Files the patch changes (relative to the project). */
  files: string[];
  /** The change against the user's current state ("" when nothing applied). */
  patch: string;
  /** Why nothing was applied (no code in the answer, a patch that does not apply). */
  note?: string;
  verification: VerifyResult[];
}

const BASELINE = ['-c', 'user.name=mm', '-c', 'user.email=mm@localhost', 'commit', '--quiet', '--no-verify'];

export async function checkCandidate(
  role: string,
  answer: string,
  root: string,
  config: Config,
  env: NodeJS.ProcessEnv,
  links: readonly string[] = [],
): Promise<CandidateCheck> {
  const repo = await repoRoot(root);
  return withScratchWorktree(root, async (dir) => {
    linkIgnored(links, repo, dir);
    // The user's uncommitted work becomes the base, so the patch holds only the role's change.
    await gitOk(['add', '-A'], dir);
    await gitOk([...BASELINE, '--allow-empty', '-m', 'mm pipeline base'], dir);
    const c = extractCandidate(answer);
    if (c.kind === 'none') return { role, files: [], patch: '', note: c.reason, verification: [] };
    if (c.kind === 'files')
      for (const f of c.files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
    else {
      const patchFile = join(dir, '.git', 'mm-candidate.patch');
      writeFileSync(patchFile, c.patch);
      const applied = await git(['apply', '--whitespace=nowarn', patchFile], dir);
      if (applied.code !== 0)
        return {
          role,
          files: [],
          patch: '',
          note: `its patch does not apply: ${applied.stderr.trim().split('\n')[0]}`,
          verification: [],
        };
    }
    // The patch is taken before verification, so files the commands leave behind are not in it.
    await gitOk(['add', '-A'], dir);
    const patch = await gitOk(['diff', '--cached', '--binary', 'HEAD'], dir);
    const files = (await gitOk(['diff', '--cached', '--name-only', 'HEAD'], dir)).split('\n').filter(Boolean);
    const verification = await runVerification(
      config.develop.verify,
      dir,
      config.develop.verify_timeout_seconds * 1000,
      env,
    );
    return { role, files, patch, ...(files.length ? {} : { note: 'the answer changed no file' }), verification };
  });
}

/** Lines a patch adds or removes (file headers not counted). */
export function changedLines(patch: string): number {
  let n = 0;
  for (const line of patch.split('\n'))
    if ((line.startsWith('+') && !line.startsWith('+++')) || (line.startsWith('-') && !line.startsWith('---'))) n++;
  return n;
}

/**
 * The disagreement protocol: tests decide (only patches that passed every check), the
 * smaller diff breaks ties, then role order. Without verification commands every patch
 * that applied "passed", so the smaller diff decides.
 */
export function pickRecommended(checks: CandidateCheck[]): { role: string; why: string } | undefined {
  const passing = checks.filter((c) => c.patch && c.verification.every((v) => v.passed));
  if (!passing.length) return undefined;
  const sized = passing.map((c) => ({ c, lines: changedLines(c.patch) }));
  const best = sized.reduce((a, b) => (b.lines < a.lines ? b : a));
  const verified = best.c.verification.length > 0;
  const why =
    passing.length === 1
      ? verified
        ? 'the only patch that passed verification'
        : 'the only patch that applied'
      : `${verified ? 'passed verification' : 'applied'}, smallest of ${passing.length} (${best.lines} changed lines)`;
  return { role: best.c.role, why };
}
