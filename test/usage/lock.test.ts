/**
 * The cross-process lock (usage/lock.ts): a lock file left by a process that died
 * holding it is broken once it is older than the stale limit, and the section runs.
 */
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from '../../src/usage/lock.ts';
import { tempDir } from '../helpers/repo.ts';

/** A lock file as a dead process leaves it: its pid, last touched `ageMs` ago. */
function leftBehind(lockPath: string, ageMs: number): void {
  writeFileSync(lockPath, '999999\n');
  const then = (Date.now() - ageMs) / 1000;
  utimesSync(lockPath, then, then);
}

describe('withFileLock', () => {
  it('breaks a stale lock, runs the section holding its own lock, and cleans up', () => {
    const dir = tempDir('mm-lock-');
    const lockPath = join(dir, 'ledger.jsonl.lock');
    leftBehind(lockPath, 60_000);
    let heldInside = '';
    const out = withFileLock(lockPath, () => {
      heldInside = readdirSync(dir).join(',');
      return 42;
    });
    expect(out).toBe(42);
    // Inside: the lock is ours (the stale one was renamed aside and removed, not left around).
    expect(heldInside).toBe('ledger.jsonl.lock');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a lock in a folder that does not exist yet: the folder is made, the section runs', () => {
    const lockPath = join(tempDir('mm-lock-'), 'runs', '.state.lock');
    expect(withFileLock(lockPath, () => 'ran')).toBe('ran');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('releases the lock when the section throws', () => {
    const lockPath = join(tempDir('mm-lock-'), 'x.lock');
    expect(() =>
      withFileLock(lockPath, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(existsSync(lockPath)).toBe(false);
    expect(withFileLock(lockPath, () => 'again')).toBe('again');
  });
});
