/**
 * Runs `mm` in-process through main() (src/cli/main.ts) with the same arguments, cwd and
 * environment mm() in mm.ts would give the built binary, for cases about what a command
 * says and exits with (usage errors, help, config errors, --json shapes): a spawn of the
 * built `mm` costs 0.1–0.3 CPU-s, this a few milliseconds. Cases about the process itself
 * (the real entry's exit code, signals, stdin, EPIPE, hooks, concurrency) keep mm().
 *
 * Faithful to a spawn in what main can see:
 * - io.env and io.cwd are what the child would get;
 * - process.env is the child's environment for the duration of the call, because code
 *   below main reads it directly (git's environment in src/git/git.ts, runner defaults);
 * - no stdin: a command that reads stdin (mm ask without --prompt-file, mm hook stop)
 *   would read the test worker's own fd 0, so those stay with mm().
 * Calls are one at a time (process.env is process-wide); a second concurrent call throws.
 * MM_IN_STRICT=1 makes process.cwd() throw during a call, to check that nothing below
 * main falls back to the test process's own directory.
 */
import { main } from '../../src/cli/main.ts';
import type { MmRun } from './mm.ts';

let busy = false;

export async function mmIn(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<MmRun> {
  if (busy) throw new Error('mmIn: one call at a time (it swaps process.env); use mmAsync for concurrent runs');
  busy = true;
  const env: NodeJS.ProcessEnv = {};
  // As spawn does: undefined values are dropped, everything else is a string.
  for (const [k, v] of Object.entries({ ...process.env, MM_CONFIG: '', MM_RUN_ID: '', ...opts.env }))
    if (v !== undefined) env[k] = String(v);
  const cwd = opts.cwd ?? process.cwd();
  const savedEnv = process.env;
  const savedCwd = process.cwd;
  let stdout = '';
  let stderr = '';
  // entry.ts ends every write with a newline; so does this.
  const line = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);
  try {
    process.env = env;
    if (savedEnv.MM_IN_STRICT === '1')
      process.cwd = () => {
        throw new Error('process.cwd() read below main during an in-process mm run');
      };
    const code = await main(args, {
      cwd,
      env,
      isTTY: false,
      stdout: (t) => (stdout += line(t)),
      stderr: (t) => (stderr += line(t)),
    }).catch((e: unknown) => {
      // As entry.ts ends a throw that is not an MmError (a bug).
      stderr += `mm: internal error: ${(e as Error)?.message ?? String(e)}\n${(e as Error)?.stack}\n`;
      return 1;
    });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) };
  } finally {
    process.env = savedEnv;
    process.cwd = savedCwd;
    busy = false;
  }
}
