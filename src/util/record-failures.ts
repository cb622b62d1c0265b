/**
 * A paid answer is never lost to a failed write. What mm records after a model answered
 * (the usage ledger line, run-store files, an output file such as --sarif) goes through
 * `tryRecord`: a failure is kept here instead of thrown, the command prints its answer,
 * and the CLI then reports every failure and exits 1 (see cli/main.ts).
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MmError } from './errors.ts';

// Kept on globalThis: the build puts the CLI entry and the lazily loaded commands in
// separate bundles, each with its own copy of this module.
const failures: string[] = ((globalThis as Record<symbol, string[] | undefined>)[Symbol.for('mm.record-failures')] ??=
  []);

/** Runs `write`; on failure records "could not write WHAT: reason" and returns false. */
export function tryRecord(what: string, write: () => void): boolean {
  try {
    write();
    return true;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    failures.push(`could not write ${what}: ${err.code ? `${err.code} ` : ''}${err.message}`.trim());
    return false;
  }
}

/** The failures recorded so far, emptied. */
export function takeRecordFailures(): string[] {
  return failures.splice(0);
}

/**
 * Checks, before anything is paid for, that an output file can be written: not a
 * folder, its folder exists (or can be made) and is writable, an existing file writable.
 */
export function checkOutputPath(path: string, flag: string): void {
  if (existsSync(path)) {
    if (statSync(path).isDirectory())
      throw new MmError('usage', `${flag} ${path} is a folder; give a file path (e.g. ${path}/review.sarif)`);
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new MmError('usage', `${flag} ${path} is not writable`);
    }
    return;
  }
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    accessSync(dir, constants.W_OK);
  } catch {
    throw new MmError('usage', `${flag} ${path}: cannot create a file there (${dir} is not a writable folder)`);
  }
}
