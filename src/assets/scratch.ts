/**
 * Scratch folders under `.claude/mm/scratch/<id>/`: where model-written code waits for
 * Claude to review and integrate it. Nothing here is ever copied into the project's
 * sources automatically.
 */
import { join } from 'node:path';
import { writeFileNoClobber } from '../util/atomic-write.ts';
import { MmError } from '../util/errors.ts';
import type { CodeFile } from './code-blocks.ts';
import { isInside } from './layout.ts';

export function scratchDir(projectRoot: string, kind: string, now = new Date()): { id: string; dir: string } {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const id = `${kind}-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
  return { id, dir: join(projectRoot, '.claude', 'mm', 'scratch', id) };
}

/** Writes files under `dir` (already checked by extractFiles; checked again here). */
export function writeScratchFiles(dir: string, files: CodeFile[]): string[] {
  const written: string[] = [];
  for (const f of files) {
    const target = join(dir, f.path);
    if (!isInside(dir, target))
      throw new MmError('invalid_output', `refusing to write ${f.path}: outside the scratch folder`);
    if (!writeFileNoClobber(target, f.content)) continue; // a duplicate path in one reply: keep the first
    written.push(target);
  }
  return written;
}
