/**
 * The one way mm runs a child process (every CLI provider and the referee's test command
 * go through here): argv arrays, never a shell of ours; the prompt on stdin, then stdin
 * ended (a prompt over ~128 KiB cannot go on argv); stdout/stderr drained with a size cap;
 * a timeout that stops the whole process tree, SIGTERM first and SIGKILL after a grace.
 *
 * Hand-written rather than execa & co. for three reasons a library does not cover: the
 * child leads its own process group, a watchdog kills that group when mm itself dies
 * (`kill -9`), and descendants that left the group (setsid) can be swept by a tag.
 * Only node:child_process and node:fs, so it stays cheap to load.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
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
  /**
   * Stderr goes into `stdout` as it arrives and only the last `maxStdoutBytes` are kept
   * (a test log: the end is what matters); `outputCapped` is then never set.
   */
  mergeStderr?: boolean;
  /** Between SIGTERM and SIGKILL when the timeout fires (default 2 s). */
  killGraceMs?: number;
  /**
   * Also kill descendants that left the process group (`setsid`, daemons) when the run
   * ends: they are found by a tag in their environment, which they inherit. For commands
   * that are not ours (the referee's test command); Linux only (/proc).
   */
  sweepEscaped?: boolean;
  /**
   * Looked at with the recent stderr (last 4 KiB) whenever stderr grows: a returned reason
   * stops the child at once (SIGTERM, then SIGKILL) and is reported as `stoppedFor`. For
   * CLIs that retry forever on their own (Gemini's 429 backoff loop).
   */
  stopWhen?: (recentStderr: string) => string | undefined;
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
  /** The reason `stopWhen` gave when it stopped the child. */
  stoppedFor?: string;
  durationMs: number;
}

const DEFAULT_STDOUT_CAP = 32 * 1024 * 1024;
const STDERR_KEEP = 64 * 1024;
const DEFAULT_KILL_GRACE_MS = 2000;
/** After the child exited or was killed, how long to wait for the pipes to close before giving up on them. */
const PIPE_GRACE_MS = 1000;
/** The environment variable that marks every descendant of a swept run. */
const RUN_TAG_VAR = 'MM_PROCESS_TAG';

/**
 * Children run detached (their own process group), so a Ctrl-C on mm would not reach
 * them: while any runs, or while a workflow has registered a cleanup, mm kills their
 * groups on SIGINT/SIGTERM, runs the cleanups (remove temp clones, mark the run
 * interrupted), then exits.
 */
const live = new Map<number, string | undefined>();
const cleanups = new Set<() => void>();
const onSignal = (signal: NodeJS.Signals) => {
  for (const [pid, tag] of live) {
    killGroup(pid, 'SIGKILL');
    if (tag) sweepTagged(tag);
  }
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // best effort while exiting
    }
  }
  process.exit(signal === 'SIGINT' ? 130 : 143);
};
function listening(): boolean {
  return live.size > 0 || cleanups.size > 0;
}
function updateListeners(wasListening: boolean): void {
  const now = listening();
  if (now && !wasListening) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  } else if (!now && wasListening) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Runs `cleanup` (synchronously) if mm is interrupted by SIGINT/SIGTERM before the
 * returned function is called. Children of the runner are killed first.
 */
export function onInterrupt(cleanup: () => void): () => void {
  const was = listening();
  cleanups.add(cleanup);
  updateListeners(was);
  return () => {
    const before = listening();
    cleanups.delete(cleanup);
    updateListeners(before);
  };
}

/**
 * The child is started through `sh`, which first puts a watchdog in the background and
 * then execs the real command (same pid, same group). The watchdog polls mm's pid once a
 * second and kills the whole group when mm is gone, so a `kill -9` of mm cannot leave a
 * paid CLI running. Linux's PR_SET_PDEATHSIG would only reach the direct child (codex's
 * Node launcher, not the native binary it starts) and Node cannot set it; polling the
 * parent from inside the group reaches every member. Its own stdio is /dev/null so it
 * never holds our pipes open.
 */
const WATCHDOG = `(while kill -0 "$MM_PARENT_PID" 2>/dev/null; do sleep 1; done; kill -s KILL 0) </dev/null >/dev/null 2>&1 &
exec "$@"`;

export function runProcess(req: RunRequest): Promise<RunResult> {
  const started = performance.now();
  const cap = req.maxStdoutBytes ?? DEFAULT_STDOUT_CAP;
  const baseEnv = req.env ?? process.env;
  return new Promise((resolve) => {
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
    const resolved = resolveCommand(req.command, baseEnv, req.cwd);
    if (!resolved.path) {
      finish({ spawnError: resolved.error });
      return;
    }
    const tag = req.sweepEscaped ? randomUUID() : undefined;
    const env = { ...baseEnv, MM_PARENT_PID: String(process.pid), ...(tag ? { [RUN_TAG_VAR]: tag } : {}) };
    let child: ReturnType<typeof spawn>;
    try {
      // detached: the child leads its own process group, so a timeout can kill its children too.
      child = spawn('/bin/sh', ['-c', WATCHDOG, 'sh', resolved.path, ...req.args], {
        cwd: req.cwd,
        env,
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
    let merged = Buffer.alloc(0);
    let err = Buffer.alloc(0);
    let timedOut = false;
    let spawnError: string | undefined;
    const keepTail = (chunk: Buffer) => {
      merged = Buffer.concat([merged, chunk]);
      if (merged.length > cap) merged = merged.subarray(merged.length - cap);
    };

    child.stdout!.on('data', (chunk: Buffer) => {
      if (req.mergeStderr) return keepTail(chunk);
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
    let stoppedFor: string | undefined;
    child.stderr!.on('data', (chunk: Buffer) => {
      if (req.mergeStderr) return keepTail(chunk);
      err = Buffer.concat([err, chunk]);
      if (err.length > STDERR_KEEP) err = err.subarray(err.length - STDERR_KEEP);
      if (req.stopWhen && stoppedFor === undefined) {
        stoppedFor = req.stopWhen(err.subarray(Math.max(0, err.length - 4096)).toString('utf8'));
        if (stoppedFor !== undefined) {
          clearTimeout(timer);
          stop();
        }
      }
    });
    // A child that exits without reading stdin makes the write fail with EPIPE: not our error.
    child.stdin!.on('error', () => {});
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.code ?? e.message;
    });

    const timers: NodeJS.Timeout[] = [];
    const later = (ms: number, fn: () => void) => {
      const t = setTimeout(fn, ms);
      t.unref?.();
      timers.push(t);
    };
    const killAll = () => {
      killGroup(child.pid, 'SIGKILL');
      if (tag) sweepTagged(tag);
    };
    // A descendant that left the group (setsid) can hold our pipes open, and "close"
    // waits for them: stop listening after a grace period instead of hanging.
    const abandonPipes = () => {
      child.stdout!.destroy();
      child.stderr!.destroy();
    };
    const stop = () => {
      killGroup(child.pid, 'SIGTERM');
      later(req.killGraceMs ?? DEFAULT_KILL_GRACE_MS, () => {
        killAll();
        later(PIPE_GRACE_MS, abandonPipes);
      });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, req.timeoutMs);
    timer.unref?.();
    // The command exited but something it started keeps the pipes: end it, then stop waiting.
    child.on('exit', () =>
      later(PIPE_GRACE_MS, () => {
        killAll();
        later(PIPE_GRACE_MS, abandonPipes);
      }),
    );

    const was = listening();
    if (child.pid !== undefined) live.set(child.pid, tag);
    updateListeners(was);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const t of timers) clearTimeout(t);
      const before = listening();
      if (child.pid !== undefined) live.delete(child.pid);
      updateListeners(before);
      // Grandchildren that outlived their parent (and the watchdog) are ours to clean up too.
      if (!spawnError) killAll();
      finish({
        exitCode: code,
        signal,
        stdout: req.mergeStderr ? merged.toString('utf8') : Buffer.concat(out).toString('utf8'),
        stderr: err.toString('utf8'),
        timedOut,
        outputCapped,
        spawnError,
        ...(stoppedFor !== undefined ? { stoppedFor } : {}),
      });
    });

    if (child.pid !== undefined) child.stdin!.end(req.input ?? '');
  });
}

/**
 * The executable `command` names, looked up on the child's PATH as spawn would, so a
 * missing CLI is reported as ENOENT before the watchdog shell starts.
 */
function resolveCommand(
  command: string,
  env: NodeJS.ProcessEnv,
  cwd: string | undefined,
): { path?: string; error?: string } {
  const candidates = command.includes('/')
    ? [join(command.startsWith('/') ? '' : (cwd ?? process.cwd()), command)]
    : (env.PATH ?? '').split(delimiter).map((d) => join(d || '.', command));
  let error = 'ENOENT';
  for (const path of candidates) {
    try {
      if (!statSync(path).isFile()) continue;
      accessSync(path, constants.X_OK);
      return { path };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EACCES') error = 'EACCES';
    }
  }
  return { error };
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Kills every process of ours whose environment carries `tag`: the descendants that
 * left the process group. Twice, for one that forked while the first pass ran.
 */
function sweepTagged(tag: string): void {
  if (process.platform !== 'linux') return;
  const needle = Buffer.from(`\0${RUN_TAG_VAR}=${tag}\0`);
  const first = Buffer.from(`${RUN_TAG_VAR}=${tag}\0`);
  for (let pass = 0; pass < 2; pass++) {
    let pids: string[];
    try {
      pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
    } catch {
      return;
    }
    for (const p of pids) {
      const pid = Number(p);
      if (pid === process.pid) continue;
      let environ: Buffer;
      try {
        environ = readFileSync(`/proc/${p}/environ`);
      } catch {
        continue; // gone, or not ours
      }
      if (environ.includes(needle) || environ.subarray(0, first.length).equals(first)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
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
