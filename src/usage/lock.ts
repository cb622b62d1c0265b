/**
 * A cross-process lock around a short critical section (the budget check and its
 * reservation line): a lock file created with O_EXCL, so exactly one process holds it.
 * Synchronous because the section is a ledger read and one append, milliseconds long;
 * a lock older than STALE_MS belongs to a process that died holding it and is broken.
 * (proper-lockfile's lockSync does not retry, so it would need this loop anyway.)
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { MmError } from '../util/errors.ts';

const STALE_MS = 10_000;
const WAIT_MS = 15_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function withFileLock<T>(lockPath: string, fn: () => T): T {
  mkdirSync(dirname(lockPath), { recursive: true });
  const deadline = Date.now() + WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    let fd: number | undefined;
    try {
      fd = openSync(lockPath, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      try {
        return fn();
      } finally {
        rmSync(lockPath, { force: true });
      }
    }
    breakIfStale(lockPath);
    if (Date.now() > deadline)
      throw new MmError('failed', `could not take the lock ${lockPath} within ${WAIT_MS / 1000}s`, {
        hint: 'another mm process holds it; delete the file if none is running',
      });
    Atomics.wait(sleeper, 0, 0, Math.min(50, 2 + attempt * 2));
  }
}

function breakIfStale(lockPath: string): void {
  try {
    if (Date.now() - statSync(lockPath).mtimeMs < STALE_MS) return;
    // Rename first: of several processes that saw it stale, only one moves it away.
    const aside = `${lockPath}.${process.pid}.stale`;
    renameSync(lockPath, aside);
    rmSync(aside, { force: true });
  } catch {
    // gone meanwhile: try again
  }
}
