/**
 * Runs the user's test command in a candidate worktree with a timeout. The command is
 * the user's own shell string (`--test "npm test"`), so running it through `sh -c` is
 * deliberate: pipes and `&&` must work as they typed them. Model output never reaches
 * this function. The child leads its own process group so a timeout or an interrupt
 * kills the whole tree (test runners spawn workers).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface TestRun {
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Combined stdout+stderr, the last MAX_OUTPUT bytes. */
  output: string;
}

const MAX_OUTPUT = 256 * 1024;
const KILL_GRACE_MS = 2000;

/** The children in flight, so an interrupt handler can kill them. */
const running = new Set<ChildProcess>();

/** Signals the child's whole process group, which outlives the shell when it backgrounds work. */
export function killProcessTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}

export function killRunningTests(): void {
  for (const child of running) killProcessTree(child, 'SIGKILL');
}

export function runTestCommand(
  command: string,
  cwd: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    // CI=1 keeps runners such as vitest or jest out of watch mode.
    const child = spawn('sh', ['-c', command], {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, CI: env.CI ?? '1' },
    });
    running.add(child);
    let output = '';
    let timedOut = false;
    let settled = false;
    const append = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > MAX_OUTPUT * 2) output = output.slice(-MAX_OUTPUT);
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    const timer = setTimeout(() => {
      timedOut = true;
      killProcessTree(child, 'SIGTERM');
      setTimeout(() => killProcessTree(child, 'SIGKILL'), KILL_GRACE_MS).unref();
    }, timeoutMs);
    const finish = (exitCode: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      running.delete(child);
      // Grandchildren that outlive the shell would keep running: end the group.
      killProcessTree(child, 'SIGKILL');
      const text = output.length > MAX_OUTPUT ? output.slice(-MAX_OUTPUT) : output;
      resolve({
        passed: !timedOut && exitCode === 0,
        exitCode,
        timedOut,
        durationMs: Date.now() - started,
        output: text,
      });
    };
    child.on('error', (e) => {
      output += `\n${e.message}\n`;
      finish(null);
    });
    child.on('close', (code) => finish(code));
    // A grandchild holding the pipes open must not keep us waiting after the shell exits.
    child.on('exit', (code) => setTimeout(() => finish(code), 500).unref());
  });
}

/** The last lines of a failing run: what a reviewer needs first. */
export function failureSummary(run: TestRun, timeoutMs: number, maxLines = 20): string {
  const tail = run.output.trimEnd().split('\n').slice(-maxLines).join('\n');
  const head = run.timedOut
    ? `timed out after ${Math.round(timeoutMs / 1000)} s`
    : `exit code ${run.exitCode ?? 'none (killed)'}`;
  return tail ? `${head}\n${tail}` : head;
}

/**
 * What common runners print once per run when they found nothing to run (vitest, jest,
 * pytest, mocha, node --test). Per-package lines (cargo's "running 0 tests", go's
 * "[no test files]") are left out: other packages may well have run tests.
 */
const NO_TESTS = /no test files found|no tests found|collected 0 items|no tests ran|(?:^|\s)0 passing\b|^# tests 0$/im;

/** A failed run whose runner said it found no tests. */
export function foundNoTests(run: TestRun): boolean {
  return !run.passed && !run.timedOut && NO_TESTS.test(run.output);
}
