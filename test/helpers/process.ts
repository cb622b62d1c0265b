import { readFileSync } from 'node:fs';

/** Whether a process is still running (a zombie waiting for its reaper counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Polls `check` until it holds or `ms` pass; says whether it held. For "this happens"
 * (a killed process goes, a file appears), never for "this happens within N ms": the
 * bound only keeps a broken run from hanging, and a loaded machine just polls longer.
 */
export async function eventually(check: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Whether the process is gone (or goes soon: a SIGKILLed process is reaped asynchronously). */
export const exits = (pid: number, ms?: number) => eventually(() => !isRunning(pid), ms);
