/**
 * Runs git. Git is the one child process on `mm check`'s hot path, so this is a thin
 * spawn (no shell, output collected as buffers) rather than the provider runner.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { MmError } from '../util/errors.ts';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Config that keeps git's output in the shape our parsers expect, whatever the user's settings. */
const STABLE_OUTPUT = [
  '-c',
  'core.quotepath=off',
  '-c',
  'diff.noprefix=false',
  '-c',
  'diff.mnemonicPrefix=false',
  '-c',
  'color.ui=never',
];

/**
 * Runs git and collects its output; with `onStdout`, stdout is handed over as it
 * arrives (decoded, split anywhere) instead of collected.
 */
export function git(args: string[], cwd: string, onStdout?: (text: string) => void): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...STABLE_OUTPUT, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const decoder = onStdout ? new StringDecoder('utf8') : undefined;
    child.stdout.on('data', (b: Buffer) => (decoder ? onStdout!(decoder.write(b)) : out.push(b)));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' ? new MmError('unavailable', 'git is not installed or not on PATH') : e);
    });
    child.on('close', (code) => {
      if (decoder) onStdout!(decoder.end());
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code: code ?? 1,
      });
    });
  });
}

/** git, and a clear error naming the command when it fails. */
export async function gitOk(args: string[], cwd: string, onStdout?: (text: string) => void): Promise<string> {
  const r = await git(args, cwd, onStdout);
  if (r.code !== 0)
    throw new MmError(
      'failed',
      `git ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop() ?? `exit ${r.code}`}`,
    );
  return r.stdout;
}

/**
 * The top of the work tree containing cwd and its HEAD commit (null before the first
 * commit), in one git call; a clear error outside a work tree.
 */
export async function repoInfo(cwd: string): Promise<{ root: string; head: string | null }> {
  const r = await git(['rev-parse', '--show-toplevel', '--verify', '-q', 'HEAD'], cwd);
  const [root, head] = r.stdout.split('\n');
  if (!root || (r.code !== 0 && r.code !== 1)) {
    throw new MmError('not_a_repo', `not inside a git work tree: ${cwd}`, {
      hint: 'run mm check from a git work tree (or `git init` first); mm route works anywhere',
    });
  }
  return { root, head: r.code === 0 && head ? head : null };
}

/** Resolves REF to a commit, or a clear error naming the ref. */
export async function resolveCommit(ref: string, cwd: string): Promise<string> {
  if (ref.startsWith('-')) throw new MmError('input', `invalid git ref "${ref}"`);
  const r = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], cwd);
  if (r.code !== 0)
    throw new MmError('input', `unknown git ref "${ref}": no commit by that name in this repository`, {
      hint: 'check `git branch -a` or `git log --oneline`',
    });
  return r.stdout.trim();
}

/** The top of the work tree containing cwd, or a clear error outside one. */
export async function repoRoot(cwd: string): Promise<string> {
  return (await repoInfo(cwd)).root;
}
