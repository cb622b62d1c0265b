/**
 * A job's temp paths (the MCP server's prompt files for a background call): made by the
 * caller, removed when the job ends — by the job itself on exit, or by whoever next sees
 * it dead or cancelled. Only node:fs underneath: the job's process loads this at start-up.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';

/**
 * Removes a job's temp paths. Only folders directly under the temp dir named `mm-…` are
 * touched, whatever job.json says: a damaged or hand-edited record cannot aim it elsewhere.
 */
export function removeJobTemp(paths: readonly string[]): void {
  const temp = resolve(tmpdir());
  for (const p of paths) {
    const abs = resolve(p);
    if (dirname(abs) !== temp || !basename(abs).startsWith('mm-')) continue;
    rmSync(abs, { recursive: true, force: true });
  }
}
