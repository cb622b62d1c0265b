/**
 * A referee candidate is a git ref (checked out as is), a patch file (applied on the
 * base) or a folder (its files copied over the base — how `mm fanout --materialize`
 * hands over answers made of whole files).
 */
import { cpSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { git, gitOk } from '../../git/git.ts';
import { MmError } from '../../util/errors.ts';

export type CandidateSource =
  | { kind: 'ref'; spec: string; commit: string }
  | { kind: 'patch'; spec: string; path: string }
  | { kind: 'dir'; spec: string; path: string };

export async function resolveCandidate(spec: string, cwd: string, repo: string): Promise<CandidateSource> {
  const path = resolve(cwd, spec);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) {
      if (path === repo)
        throw new MmError('input', `candidate "${spec}" is the checkout itself; give a ref, a patch or another folder`);
      return { kind: 'dir', spec, path };
    }
    const head = readFileSync(path, 'utf8').slice(0, 64 * 1024);
    if (!/^(?:diff --git |--- |\+\+\+ |@@ )/m.test(head))
      throw new MmError('input', `candidate "${spec}" is a file but not a patch (no unified diff found)`);
    return { kind: 'patch', spec, path };
  }
  if (!spec.startsWith('-')) {
    const r = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${spec}^{commit}`], repo);
    if (r.code === 0) return { kind: 'ref', spec, commit: r.stdout.trim() };
  }
  throw new MmError('input', `candidate "${spec}" is neither a git ref, a patch file nor a folder`, {
    hint: 'e.g. --a feature-x --b ./candidate.patch',
  });
}

/** The commit a candidate's worktree starts from. */
export const startCommit = (c: CandidateSource, base: string) => (c.kind === 'ref' ? c.commit : base);

/** Puts a patch or folder candidate into its worktree (a ref is already there). */
export async function applyCandidate(c: CandidateSource, worktree: string): Promise<void> {
  if (c.kind === 'patch') {
    const r = await git(['apply', '--whitespace=nowarn', c.path], worktree);
    if (r.code !== 0)
      throw new MmError(
        'input',
        `patch ${c.spec} does not apply on the base: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`,
      );
  } else if (c.kind === 'dir') {
    overlay(c.path, worktree);
  }
}

function overlay(from: string, to: string): void {
  for (const entry of readdirSync(from)) {
    if (entry === '.git') continue;
    cpSync(join(from, entry), join(to, entry), { recursive: true, force: true, dereference: false });
  }
}

/** Copies the same test files (a file or folder inside the repo) into a worktree. */
export function copyTests(testsPath: string, cwd: string, repo: string, worktree: string): string {
  const abs = resolve(cwd, testsPath);
  if (!existsSync(abs)) throw new MmError('input', `--tests ${testsPath}: no such file or folder`);
  const rel = relative(repo, abs);
  if (!rel || rel.startsWith('..'))
    throw new MmError(
      'input',
      `--tests ${testsPath} must be inside the repository (it is copied to the same place in each candidate)`,
    );
  cpSync(abs, join(worktree, rel), { recursive: true, force: true });
  return rel;
}

export interface DiffSize {
  files: number;
  added: number;
  removed: number;
  /** added + removed: what "smaller diff" compares. */
  lines: number;
}

/** Lines changed in a worktree against the base, leaving out the shared test files and links. */
export async function diffSize(worktree: string, base: string, exclude: string[]): Promise<DiffSize> {
  await gitOk(['add', '-A', '--', '.', ...exclude.map((p) => `:(exclude)${p}`)], worktree);
  const numstat = await gitOk(
    ['diff', '--cached', '--numstat', '--no-renames', base, '--', '.', ...exclude.map((p) => `:(exclude)${p}`)],
    worktree,
  );
  let added = 0;
  let removed = 0;
  let files = 0;
  for (const line of numstat.split('\n')) {
    const [a, r] = line.split('\t');
    if (a === undefined || r === undefined) continue;
    files++;
    added += a === '-' ? 0 : Number(a); // binary files count as changed files, not lines
    removed += r === '-' ? 0 : Number(r);
  }
  return { files, added, removed, lines: added + removed };
}
