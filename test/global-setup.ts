/**
 * Once per test run, in vitest's main process:
 * - builds dist/ (CLI tests spawn the built `mm`, as users run it); `npm test` builds
 *   first and says so with MM_TEST_BUILT=1;
 * - gives the run its own temporary folder (TMPDIR, inherited by the test workers and
 *   everything they start), so that
 * - at the end, any process still alive that points into that folder (mm, a real or stub
 *   CLI, a child of one) fails the run, named, and is then killed. The folder is removed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForLeftovers } from './helpers/leftover-processes.ts';

/** How long a process may take to go after the last test (a watchdog polls its parent once a second). */
const SETTLE_MS = 5000;

export default function setup(): () => Promise<void> {
  if (process.env.MM_TEST_BUILT !== '1')
    execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], {
      stdio: 'inherit',
    });
  const runDir = mkdtempSync(join(tmpdir(), 'mm-test-run-'));
  process.env.TMPDIR = runDir;

  return async () => {
    // The pool's workers (children of this process) carry the folder in their environment too.
    const workers = new Set(childrenOf(process.pid));
    const left = await waitForLeftovers(runDir, SETTLE_MS, workers);
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
    if (left.length > 0) {
      // vitest reports an error thrown here but still exits 0, so set the exit code too.
      process.exitCode = 1;
      throw new Error(
        `the tests left ${left.length} process(es) running (killed now):\n${left.map((l) => `  ${l.pid} ${l.command}`).join('\n')}`,
      );
    }
  };
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // ps exits 1 when there are none
  }
}
