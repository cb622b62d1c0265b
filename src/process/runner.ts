/**
 * The one way mm runs a child process (every CLI provider goes through here):
 * argv arrays, never a shell; the prompt on stdin, then stdin ended (a prompt over
 * ~128 KiB cannot go on argv); stdout/stderr drained with a size cap; a timeout that
 * kills the whole process tree. Only node:child_process, so it stays cheap to load.
 */
import { spawn } from 'node:child_process';
import type { InvokeStatus } from '../util/call-status.ts';

export interface RunRequest {
  command: string;
  args: string[];
  /** Written to stdin, then stdin is ended. Absent: stdin is ended at once. */
  input?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Stdout beyond this is dropped and `outputCapped` set (default 32 MiB). */
  maxStdoutBytes?: number;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last STDERR_KEEP bytes of stderr: enough to diagnose, never unbounded. */
  stderr: string;
  timedOut: boolean;
  outputCapped: boolean;
  /** Set when the process could not start at all (ENOENT, EACCES…). */
  spawnError?: string;
  durationMs: number;
}

const DEFAULT_STDOUT_CAP = 32 * 1024 * 1024;

/**
 * Children run detached (their own process group), so a Ctrl-C on mm would not reach
 * them: while any runs, mm forwards SIGINT/SIGTERM by killing their groups, then exits.
 */
const live = new Set<number>();
const onSignal = (signal: NodeJS.Signals) => {
  for (const pid of live) killTree(pid);
  process.exit(signal === 'SIGINT' ? 130 : 143);
};
function track(pid: number): void {
  if (live.size === 0) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  live.add(pid);
}
function untrack(pid: number): void {
  live.delete(pid);
  if (live.size === 0) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
const STDERR_KEEP = 64 * 1024;
/** After a timeout's kill, how long to wait for the pipes to close before giving up on them. */
const PIPE_GRACE_MS = 1000;

export function runProcess(req: RunRequest): Promise<RunResult> {
  const started = performance.now();
  const cap = req.maxStdoutBytes ?? DEFAULT_STDOUT_CAP;
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    const finish = (partial: Partial<RunResult>) =>
      resolve({
        exitCode: null,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        outputCapped: false,
        durationMs: Math.round(performance.now() - started),
        ...partial,
      });
    try {
      // detached: the child leads its own process group, so a timeout can kill its children too.
      child = spawn(req.command, req.args, {
        cwd: req.cwd,
        env: req.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
        shell: false,
      });
    } catch (e) {
      finish({ spawnError: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
      return;
    }
    const out: Buffer[] = [];
    let outBytes = 0;
    let outputCapped = false;
    let err = Buffer.alloc(0);
    let timedOut = false;
    let spawnError: string | undefined;

    child.stdout!.on('data', (chunk: Buffer) => {
      // Keep draining after the cap: a full pipe would block the child.
      if (outBytes >= cap) {
        outputCapped = true;
        return;
      }
      const room = cap - outBytes;
      out.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      outBytes += Math.min(chunk.length, room);
      if (chunk.length > room) outputCapped = true;
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err = Buffer.concat([err, chunk]);
      if (err.length > STDERR_KEEP) err = err.subarray(err.length - STDERR_KEEP);
    });
    // A child that exits without reading stdin makes the write fail with EPIPE: not our error.
    child.stdin!.on('error', () => {});
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.code ?? e.message;
    });

    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid);
      // A descendant that left the group (setsid) can hold our pipes open, and "close"
      // waits for them: stop listening after a grace period instead of hanging.
      grace = setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
      }, PIPE_GRACE_MS);
      grace.unref?.();
    }, req.timeoutMs);
    timer.unref?.();

    if (child.pid !== undefined) track(child.pid);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(grace);
      if (child.pid !== undefined) untrack(child.pid);
      // Grandchildren that outlived their parent are ours to clean up too.
      if (!spawnError) killTree(child.pid);
      finish({
        exitCode: code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: err.toString('utf8'),
        timedOut,
        outputCapped,
        spawnError,
      });
    });

    if (child.pid !== undefined) child.stdin!.end(req.input ?? '');
  });
}

function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The last `lines` lines of stderr, for results and error messages. */
export function tail(text: string, lines = 12): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Generic classification of a finished run: could it start, did it time out, did it
 * exit 0. `exitCodes` maps CLI-specific codes (Gemini: HTTP status mod 256) to statuses;
 * stderr wording is the last resort.
 */
export function classifyRun(
  run: RunResult,
  exitCodes: Record<number, InvokeStatus> = {},
): { status: InvokeStatus; reason?: string } {
  if (run.spawnError) {
    return {
      status: 'unavailable',
      reason: run.spawnError === 'ENOENT' ? 'command not found' : `cannot start: ${run.spawnError}`,
    };
  }
  if (run.timedOut) return { status: 'timeout', reason: `timed out after ${Math.round(run.durationMs / 1000)} s` };
  if (run.outputCapped) return { status: 'truncated', reason: 'output exceeded the size cap' };
  if (run.exitCode === 0) return { status: 'ok' };
  if (run.exitCode === null) return { status: 'failed', reason: `killed by ${run.signal ?? 'a signal'}` };
  const mapped = exitCodes[run.exitCode];
  if (mapped) return { status: mapped, reason: `exit code ${run.exitCode}` };
  return { status: statusFromMessage(run.stderr) ?? 'failed', reason: `exit code ${run.exitCode}` };
}

/** Status from an error message's wording (429, 401, "rate limit", …), or undefined. */
export function statusFromMessage(text: string): InvokeStatus | undefined {
  if (/\b429\b|rate.?limit|too many requests|quota|resource.?exhausted/i.test(text)) return 'rate_limited';
  // "EACCES: permission denied" is the file system, not the provider refusing credentials.
  if (
    /\b401\b|\b403\b|unauthori[sz]ed|authenticat|invalid api key|api key not valid|(?<!EACCES: )permission denied/i.test(
      text,
    )
  )
    return 'auth';
  if (/\bMAX_TOKENS\b|truncat|stream closed before|incomplete/i.test(text)) return 'truncated';
  return undefined;
}
