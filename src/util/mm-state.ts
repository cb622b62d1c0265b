/**
 * mm keeps its working state in `<project>/.claude/mm/`: runs, the usage ledger,
 * handoffs, scratch folders. None of it belongs in the user's commits.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE, writeFileAtomic } from './atomic-write.ts';

export const mmStateDir = (projectRoot: string): string => join(projectRoot, '.claude', 'mm');

/** Keeps the state folder out of `git status` without editing the user's .gitignore. */
export function ensureMmStateIgnored(projectRoot: string): void {
  const ignore = join(mmStateDir(projectRoot), '.gitignore');
  if (existsSync(ignore)) return;
  // The state folder holds prompts as sent and answers: the user's alone (0700).
  mkdirSync(join(projectRoot, '.claude'), { recursive: true });
  mkdirSync(mmStateDir(projectRoot), { recursive: true, mode: PRIVATE.dirMode });
  writeFileAtomic(ignore, '*\n');
}
