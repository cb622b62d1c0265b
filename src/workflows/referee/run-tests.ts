/**
 * Runs the user's test command in a candidate clone with a timeout. The command is the
 * user's own shell string (`--test "npm test"`), so running it through `sh -c` is
 * deliberate: pipes and `&&` must work as they typed them. Model output never reaches
 * this function. It goes through the one process runner: its own process group,
 * SIGTERM then SIGKILL on timeout, and descendants that left the group (setsid) swept.
 */
import { runProcess } from '../../process/runner.ts';

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

/**
 * Variables that would point git inside the candidate at another repository (mm run from
 * a git hook has GIT_DIR set to the user's .git), and the shell's idea of where it is.
 */
const POINTS_ELSEWHERE =
  /^(?:GIT_(?:DIR|WORK_TREE|INDEX_FILE|COMMON_DIR|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|NAMESPACE|PREFIX|CEILING_DIRECTORIES|CONFIG|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+)|OLDPWD|PWD|INIT_CWD)$/;

/** The environment a candidate's tests run in: the user's, minus anything naming the checkout. */
function candidateEnv(env: NodeJS.ProcessEnv, dir: string): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!POINTS_ELSEWHERE.test(k)) clean[k] = v;
  // CI=1 keeps runners such as vitest or jest out of watch mode.
  return { ...clean, PWD: dir, CI: env.CI ?? '1' };
}

export async function runTestCommand(
  command: string,
  cwd: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestRun> {
  const run = await runProcess({
    command: 'sh',
    args: ['-c', command],
    cwd,
    env: candidateEnv(env, cwd),
    timeoutMs,
    mergeStderr: true,
    maxStdoutBytes: MAX_OUTPUT,
    killGraceMs: KILL_GRACE_MS,
    sweepEscaped: true,
  });
  const output = run.spawnError ? `${run.stdout}\ncannot start sh: ${run.spawnError}\n` : run.stdout;
  return {
    passed: !run.timedOut && run.exitCode === 0,
    exitCode: run.exitCode,
    timedOut: run.timedOut,
    durationMs: run.durationMs,
    output,
  };
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

/** One configured verification command's outcome, as develop and pipeline reports keep it. */
export interface VerifyResult {
  command: string;
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  outputTail: string;
}

/** Runs `[develop] verify`-style commands in order in `cwd` (each with the timeout). */
export async function runVerification(
  commands: readonly string[],
  cwd: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv | undefined,
  onCommand?: (command: string) => void,
): Promise<VerifyResult[]> {
  const results: VerifyResult[] = [];
  for (const command of commands) {
    onCommand?.(command);
    const t = await runTestCommand(command, cwd, timeoutMs, env);
    results.push({
      command,
      passed: t.passed,
      exitCode: t.exitCode,
      timedOut: t.timedOut,
      outputTail: t.output.split('\n').slice(-20).join('\n'),
    });
  }
  return results;
}
