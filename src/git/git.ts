/**
 * Runs git. Git is the one child process on `mm check`'s hot path, so this is a thin
 * spawn (output collected as buffers) rather than the provider runner. Every `mm` start
 * loads this module (src/cli/early.ts); node:child_process loads on the first spawn.
 */
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { MmError } from '../util/errors.ts';
import { lazyChildProcess } from '../util/lazy-builtins.ts';

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

/** Options that keep a patch in the shape our parsers rely on, whatever the user's git config. */
export const PATCH_OPTIONS = ['--no-ext-diff', '--no-textconv', '--no-renames', '--src-prefix=a/', '--dst-prefix=b/'];
/** `git diff` with output our parsers can rely on. */
export const DIFF_FLAGS = ['diff', ...PATCH_OPTIONS];
/**
 * Untracked files of the whole work tree (`:/`), with paths from its top, leaving out
 * mm's own state under .claude/mm (run files must not look like part of the change).
 */
export const UNTRACKED = [
  'ls-files',
  '--others',
  '--exclude-standard',
  '-z',
  '--full-name',
  '--',
  ':/',
  ':(top,exclude).claude/mm',
];

/** The top of the work tree and the HEAD commit (see repoInfo). */
const REPO_INFO = ['rev-parse', '--show-toplevel', '--verify', '-q', 'HEAD'];

/**
 * The git calls `mm check` makes for the working tree against HEAD (analyseChange in
 * change.ts, call for call), which src/cli/early.ts starts before the rest of mm is loaded.
 */
export const HEAD_CHECK_CALLS = [REPO_INFO, [...DIFF_FLAGS, '-U0', 'HEAD'], UNTRACKED];

/**
 * The git calls `mm check --base REF` makes in its one round (analyseChange in change.ts,
 * call for call: the diff, the repository lookup, the untracked files), which
 * src/cli/early.ts also starts early; null for a ref that must not reach git this way.
 * The ref goes to `git diff` as an argument, after its options: one that begins with "-"
 * would be read as an option (`--output=FILE` writes a file), so it never goes there; an
 * empty one names nothing. Such refs take the step-by-step path, whose resolveCommit
 * refuses the first and names the second as unknown.
 */
export function baseCheckCalls(ref: string): string[][] | null {
  if (ref === '' || ref.startsWith('-')) return null;
  return [[...DIFF_FLAGS, '--no-relative', '-U0', '--merge-base', `${ref}^{commit}`], REPO_INFO, UNTRACKED];
}

/**
 * Runs git and collects its output; with `onStdout`, stdout is handed over as it
 * arrives (decoded, split anywhere) instead of collected. A call that `startEarly` already
 * started (same arguments, same cwd) takes that process over instead of starting another.
 */
export function git(args: string[], cwd: string, onStdout?: (text: string) => void): Promise<GitResult> {
  const key = earlyKey(args, cwd);
  const early = started.get(key);
  if (early) started.delete(key);
  return (early ?? start(args, cwd)).collect(onStdout);
}

/**
 * Starts git calls now that later `git()` calls with the same arguments and cwd collect, so
 * git works while Node is still loading the code that asks for them (src/cli/early.ts).
 * Several calls share one process (a shell running them side by side): Node blocks for each
 * process it starts until that process runs, and on a busy machine that wait is what costs.
 * Until collected, output is held, and the calls do not keep mm from exiting.
 */
export function startEarly(calls: string[][], cwd: string): void {
  const fresh = calls.filter((args) => !started.has(earlyKey(args, cwd)));
  const runs =
    fresh.length > 1 && process.platform !== 'win32'
      ? startTogether(fresh, cwd)
      : fresh.map((args) => start(args, cwd, true));
  fresh.forEach((args, i) => started.set(earlyKey(args, cwd), runs[i]!));
}

const started = new Map<string, Running>();
const earlyKey = (args: string[], cwd: string) => `${cwd}\0${args.join('\0')}`;

interface Running {
  collect(onStdout?: (text: string) => void): Promise<GitResult>;
}

const gitEnv = () => ({ ...process.env, GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' });

function start(args: string[], cwd: string, early = false): Running {
  const child = lazyChildProcess().spawn('git', [...STABLE_OUTPUT, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: gitEnv(),
  });
  const ended = new Promise<number | Error>((resolve) => {
    child.on('error', resolve);
    child.on('close', (code) => resolve(code ?? 1));
  });
  return running(child.stdout, child.stderr, ended, early ? [child] : []);
}

/**
 * Git calls run side by side by one `sh`, each with its own stdout and stderr pipe (fds 3…);
 * the shell prints their exit codes. A call whose git could not be run (no shell, no git:
 * exit 126/127 with no output) runs again on its own, so its error is the usual one.
 */
function startTogether(calls: string[][], cwd: string): Running[] {
  const n = calls.length;
  const script = [
    ...calls.map(
      (args, i) => `git ${[...STABLE_OUTPUT, ...args].map(shellQuote).join(' ')} >&${3 + i} 2>&${3 + n + i} & p${i}=$!`,
    ),
    ...calls.map((_, i) => `wait $p${i}; echo $?`),
  ].join('\n');
  const child = lazyChildProcess().spawn('/bin/sh', ['-c', script], {
    cwd,
    stdio: ['ignore', 'pipe', 'ignore', ...calls.flatMap(() => ['pipe', 'pipe'] as const)],
    env: gitEnv(),
  });
  const codes: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => codes.push(b));
  const exited = new Promise<Array<number | undefined>>((resolve) => {
    child.on('error', () => resolve([]));
    child.on('close', () => resolve(Buffer.concat(codes).toString('utf8').split('\n').filter(Boolean).map(Number)));
  });
  return calls.map((args, i) => {
    const stdout = child.stdio[3 + i] as Readable;
    let received = false;
    stdout.once('data', () => (received = true));
    const ended = exited.then((c) => {
      const code = c[i];
      if (!received && (code === undefined || code === 126 || code === 127)) return () => start(args, cwd);
      return code ?? 1;
    });
    return running(stdout, child.stdio[3 + n + i] as Readable, ended, [child, child.stdout as Socket]);
  });
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * One call's output: held until collected (then handed to `onStdout` as it arrives, or
 * returned whole). `early` processes and their pipes do not keep Node alive until then.
 */
function running(
  stdout: Readable,
  stderr: Readable,
  ended: Promise<number | Error | (() => Running)>,
  early: Array<{ ref(): unknown; unref(): unknown }>,
): Running {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let sink: ((b: Buffer) => void) | undefined;
  stdout.on('data', (b: Buffer) => (sink ? sink(b) : out.push(b)));
  stderr.on('data', (b: Buffer) => err.push(b));
  const handles = early.length ? [...early, stdout as Socket, stderr as Socket] : [];
  for (const h of handles) h.unref();
  return {
    collect(onStdout) {
      for (const h of handles) h.ref();
      let end = () => {};
      if (onStdout) {
        const decoder = new StringDecoder('utf8');
        for (const b of out.splice(0)) onStdout(decoder.write(b));
        sink = (b) => onStdout(decoder.write(b));
        end = () => onStdout(decoder.end());
      }
      return ended.then((result) => {
        if (typeof result === 'function') return result().collect(onStdout);
        if (result instanceof Error) {
          const e = result as NodeJS.ErrnoException;
          throw e.code === 'ENOENT' ? new MmError('unavailable', 'git is not installed or not on PATH') : e;
        }
        end();
        return {
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          code: result,
        };
      });
    },
  };
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
  const r = await git(REPO_INFO, cwd);
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
