/**
 * What the job commands need to know about OS processes: is a recorded pid still the
 * process we started (a pid is reused after its process dies, so the start time is
 * recorded with it), which processes descend from it, and how to kill all of them.
 * Linux reads /proc; elsewhere `ps` answers the same questions.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** Opaque start-time stamp: /proc starttime + boot id on Linux, `ps -o lstart` elsewhere. */
  started: string;
}

interface ProcRow {
  pid: number;
  ppid: number;
  pgid: number;
  zombie: boolean;
}

const HAS_PROC = existsSync('/proc/self/stat');

/** /proc/<pid>/stat fields after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

let bootId: string | undefined;
function currentBootId(): string {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = '';
    }
  }
  return bootId;
}

/** The start-time stamp of a live process, or null when there is no such process. */
export function processStartTime(pid: number): string | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (HAS_PROC) {
    const f = statFields(pid);
    // Field 22 (starttime) is index 19 after the name; state is index 0.
    return f && f[0] !== 'Z' ? `${currentBootId()}:${f[19]}` : null;
  }
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: 'pipe' });
    return out.trim() || null;
  } catch {
    return null;
  }
}

/** True only when `pid` is alive AND is the very process recorded (not a reused pid). */
export function isSameProcess(id: ProcessIdentity): boolean {
  const now = processStartTime(id.pid);
  return now !== null && now === id.started;
}

function processTable(): ProcRow[] {
  if (HAS_PROC) {
    const rows: ProcRow[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const f = statFields(Number(name));
      if (f) rows.push({ pid: Number(name), ppid: Number(f[1]), pgid: Number(f[2]), zombie: f[0] === 'Z' });
    }
    return rows;
  }
  try {
    return execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], { encoding: 'utf8', stdio: 'pipe' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((c) => c.length >= 4)
      .map(([pid, ppid, pgid, stat]) => ({
        pid: Number(pid),
        ppid: Number(ppid),
        pgid: Number(pgid),
        zombie: stat!.startsWith('Z'),
      }));
  } catch {
    return [];
  }
}

/**
 * The process tree under `root` (root included): descendants by parent link, plus every
 * member of their process groups. Collected before any kill, because a killed parent's
 * children are re-parented to init and the link is lost.
 */
export function processTree(root: number): { pids: number[]; groups: number[] } {
  const table = processTable().filter((r) => !r.zombie);
  const children = new Map<number, number[]>();
  for (const r of table) children.set(r.ppid, [...(children.get(r.ppid) ?? []), r.pid]);
  const pids = new Set<number>();
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    if (pids.has(pid)) continue;
    pids.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  const groups = new Set(table.filter((r) => pids.has(r.pid)).map((r) => r.pgid));
  const own = processGroupOf(process.pid);
  groups.delete(own); // never our own group (mm jobs cancel itself)
  groups.delete(0);
  groups.delete(1);
  for (const r of table) if (groups.has(r.pgid)) pids.add(r.pid);
  pids.delete(process.pid);
  return { pids: [...pids], groups: [...groups] };
}

function processGroupOf(pid: number): number {
  if (HAS_PROC) return Number(statFields(pid)?.[2] ?? -1);
  return processTable().find((r) => r.pid === pid)?.pgid ?? -1;
}

/** Sends `signal` to every group and pid of a tree; returns how many were signalled. */
export function signalTree(tree: { pids: number[]; groups: number[] }, signal: NodeJS.Signals): number {
  let sent = 0;
  for (const g of tree.groups) {
    try {
      process.kill(-g, signal);
      sent++;
    } catch {
      // the group is gone
    }
  }
  for (const pid of tree.pids) {
    try {
      process.kill(pid, signal);
      sent++;
    } catch {
      // already gone
    }
  }
  return sent;
}

/** Pids of the tree still alive (zombies count as gone: they only wait for their reaper). */
export function survivors(tree: { pids: number[] }): number[] {
  return tree.pids.filter((pid) => processStartTime(pid) !== null);
}
