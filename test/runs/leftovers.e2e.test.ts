/**
 * Issue 10, family 9: what a killed mm leaves behind is cleaned up by the next one:
 * runs left "running" are marked interrupted, stale temporary clones are removed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CloneSet } from '../../src/git/temp-clones.ts';
import { createRun, listRuns, readRun } from '../../src/runs/store.ts';
import { runsDir } from '../../src/runs/state.ts';
import { tempDir, tempRepo } from '../helpers/repo.ts';

/** The pid of a process that has already exited. */
function deadPid(): number {
  return Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());
}

function writeRun(root: string, id: string, pid: number | undefined): void {
  const dir = join(runsDir(root), id);
  mkdirSync(dir, { recursive: true });
  const now = new Date().toISOString();
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({
      run_id: id,
      kind: 'referee',
      created: now,
      updated: now,
      status: 'running',
      summary: 'x',
      ...(pid ? { pid } : {}),
    }),
  );
}

describe('runs left "running" by a killed mm', () => {
  it('are marked interrupted by the next run, or by mm runs list', () => {
    const root = tempDir('mm-leftover-runs-');
    writeRun(root, '20260101-000000-aaaa-referee', deadPid());
    writeRun(root, '20260101-000001-bbbb-referee', process.pid); // still alive: left alone
    writeRun(root, '20260101-000002-cccc-referee', undefined); // no pid recorded: cannot tell
    createRun(root, 'fanout');
    expect(readRun(root, '20260101-000000-aaaa-referee')!.status).toBe('interrupted');
    expect(readRun(root, '20260101-000000-aaaa-referee')!.summary).toMatch(/mm ended while it ran/);
    expect(readRun(root, '20260101-000001-bbbb-referee')!.status).toBe('running');
    expect(readRun(root, '20260101-000002-cccc-referee')!.status).toBe('running');
    writeRun(root, '20260101-000003-dddd-referee', deadPid());
    expect(listRuns(root).find((r) => r.run_id === '20260101-000003-dddd-referee')!.status).toBe('interrupted');
  });
});

describe('temporary clones left by a killed mm', () => {
  it('are removed when the next set is made; a live owner keeps its set', async () => {
    const repo = tempRepo();
    const root = tempDir('mm-leftover-clones-');
    const stale = join(root, 'mm-referee-stale1');
    const live = join(root, 'mm-referee-live01');
    const fresh = join(root, 'mm-referee-fresh1');
    for (const [dir, pid] of [
      [stale, deadPid()],
      [live, process.pid],
      [fresh, deadPid()],
    ] as const) {
      mkdirSync(join(dir, 'a', '.git'), { recursive: true });
      writeFileSync(join(dir, '.mm-owner'), String(pid));
    }
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(join(stale, '.mm-owner'), old, old);
    utimesSync(join(live, '.mm-owner'), old, old);
    const set = new CloneSet(repo.dir, root);
    const clone = await set.add('a', 'HEAD');
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(fresh)).toBe(true); // too young to judge: may be mid-creation
    expect(existsSync(join(clone, 'README.md'))).toBe(true);
    set.removeAllSync();
    expect(existsSync(clone)).toBe(false);
    repo.cleanup();
  });
});
