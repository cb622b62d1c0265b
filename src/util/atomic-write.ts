/**
 * The one way to write a file safely: write a temp file beside the target, fsync, then
 * rename (replace) or link (never replace). A crash leaves the old file or the new one,
 * never half of either; leftover temp files are hidden (`.name.….tmp`).
 */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

export interface WriteOptions {
  /** The file's mode (default 0644; PRIVATE for mm's own state). */
  mode?: number;
  /** The mode of folders this write creates (default 0755 less umask). */
  dirMode?: number;
}

/** mm's own state (runs, ledger): what was sent to models is readable by the user alone. */
export const PRIVATE: WriteOptions = { mode: 0o600, dirMode: 0o700 };

export function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
  const temp = stageFile(path, data, opts);
  try {
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Writes `data` to a hidden, fsynced temp file beside `path` and returns the temp path.
 * Publish it with `publishNoClobber` (or rename); remove it if you give up.
 */
export function stageFile(path: string, data: string | Uint8Array, opts: WriteOptions = {}): string {
  mkdirSync(dirname(path), { recursive: true, mode: opts.dirMode });
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', opts.mode ?? 0o644);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    return temp;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Gives the staged file its final name unless that name exists: link(2) fails with
 * EEXIST atomically, so two writers can never overwrite each other. Returns false when
 * the name is taken (the temp file is kept for another try).
 */
export function publishNoClobber(temp: string, path: string): boolean {
  try {
    linkSync(temp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  rmSync(temp, { force: true });
  return true;
}

/** writeFileAtomic that refuses to replace an existing file (returns false instead). */
export function writeFileNoClobber(path: string, data: string | Uint8Array, opts: WriteOptions = {}): boolean {
  const temp = stageFile(path, data, opts);
  try {
    return publishNoClobber(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}
