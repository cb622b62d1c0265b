/**
 * Runs git. Git is the one child process on `mm check`'s hot path, so this is a thin
 * spawn (no shell, output collected as buffers) rather than the provider runner.
 */
import { spawn } from 'node:child_process';
import { MmError } from '../util/errors.ts';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Config that keeps git's output in the shape our parsers expect, whatever the user's settings. */
const STABLE_OUTPUT = ['-c', 'core.quotepath=off', '-c', 'diff.noprefix=false', '-c', 'diff.mnemonicPrefix=false', '-c', 'color.ui=never'];

/** Pathspec that leaves mm's own run state out of "what changed" (it is written by mm itself). */
export const NOT_MM_STATE = ['.', ':(exclude).claude/mm'];

export function git(args: string[], cwd: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...STABLE_OUTPUT, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' ? new MmError('unavailable', 'git is not installed or not on PATH') : e);
    });
    child.on('close', (code) => {
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? 1 });
    });
  });
}

/** git, and a clear error naming the command when it fails. */
export async function gitOk(args: string[], cwd: string): Promise<string> {
  const r = await git(args, cwd);
  if (r.code !== 0) throw new MmError('failed', `git ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop() ?? `exit ${r.code}`}`);
  return r.stdout;
}

/** The top of the work tree containing cwd, or a clear error outside one. */
export async function repoRoot(cwd: string): Promise<string> {
  const r = await git(['rev-parse', '--show-toplevel'], cwd);
  if (r.code !== 0) {
    throw new MmError('not_a_repo', `not inside a git repository: ${cwd}`, {
      hint: 'run mm check from a git work tree (or `git init` first); mm route works anywhere',
    });
  }
  return r.stdout.trim();
}

/** Resolves REF to a commit, or a clear error naming the ref. */
export async function resolveCommit(ref: string, cwd: string): Promise<string> {
  if (ref.startsWith('-')) throw new MmError('input', `invalid git ref "${ref}"`);
  const r = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], cwd);
  if (r.code !== 0) throw new MmError('input', `unknown git ref "${ref}": no commit by that name in this repository`, { hint: 'check `git branch -a` or `git log --oneline`' });
  return r.stdout.trim();
}
