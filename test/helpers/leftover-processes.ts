/**
 * Processes a test run left behind. Every process the tests start (mm, the real and stub
 * CLIs, their children, the watchdog shells) works in, is named from, or inherits an
 * environment that points into the run's own temporary folder (TMPDIR, HOME, CODEX_HOME,
 * cwd): that folder's unique path is the mark. Nothing else on a shared machine carries it,
 * so an unrelated process is never blamed. Linux only (/proc); elsewhere nothing is found.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface Leftover {
  pid: number;
  command: string;
}

export function findLeftovers(mark: string, exclude: ReadonlySet<number> = new Set()): Leftover[] {
  if (process.platform !== 'linux') return [];
  const found: Leftover[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  for (const p of pids) {
    const pid = Number(p);
    if (pid === process.pid || exclude.has(pid)) continue;
    try {
      // A zombie has already exited; its parent just has not collected it yet.
      if (/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const marked =
        cmdline.includes(mark) ||
        safeReadlink(`/proc/${pid}/cwd`).startsWith(mark) ||
        readFileSync(`/proc/${pid}/environ`, 'utf8').includes(mark);
      if (marked) found.push({ pid, command: cmdline.replaceAll('\0', ' ').trim().slice(0, 300) });
    } catch {
      // gone meanwhile, or not ours to read (another user's process): not a leftover of this run
    }
  }
  return found;
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

/** Waits up to `ms` for leftovers to go (a watchdog notices its parent is gone within ~1 s). */
export async function waitForLeftovers(mark: string, ms: number, exclude?: ReadonlySet<number>): Promise<Leftover[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = findLeftovers(mark, exclude);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
