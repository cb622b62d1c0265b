import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRunState, updateRunState } from '../../src/runs/state.ts';
import {
  createRun,
  listRuns,
  readRun,
  readRunJson,
  setCurrentRun,
  updateRun,
  writeRunFile,
} from '../../src/runs/store.ts';
import { tempDir } from '../helpers/repo.ts';

let dirs: string[] = [];
const root = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('run store', () => {
  it('creates runs with inputs and outputs that other runs can read', () => {
    const r = root();
    const run = createRun(r, 'fanout', { env: { MM_RUN_ID: 'sess-1' }, summary: 'two models' });
    expect(run).toMatchObject({ kind: 'fanout', status: 'running', session: 'sess-1', summary: 'two models' });
    writeRunFile(r, run.run_id, 'inputs/spec.md', '# spec');
    writeRunFile(r, run.run_id, 'outputs/result.json', { ok: true });
    updateRun(r, run.run_id, { status: 'done' });
    const back = readRun(r, run.run_id)!;
    expect(back.status).toBe('done');
    expect(back.files).toEqual(['inputs/spec.md', 'outputs/result.json', 'run.json']);
    expect(readRunJson(r, run.run_id, 'outputs/result.json')).toEqual({ ok: true });
    // Runs are local state: ignored by git without touching the user's .gitignore.
    expect(readFileSync(join(r, '.claude/mm/.gitignore'), 'utf8')).toBe('*\n');
  });

  it('refuses file names that leave the run folder', () => {
    const r = root();
    const run = createRun(r, 'x');
    expect(() => writeRunFile(r, run.run_id, '../escape.txt', 'no')).toThrow(/inside the run folder/);
    expect(() => writeRunFile(r, run.run_id, '/etc/x', 'no')).toThrow(/inside the run folder/);
  });

  it('lists workflow runs and debug-cycle sessions together, newest first', async () => {
    const r = root();
    await updateRunState(r, { MM_RUN_ID: 'session-a' }, (s) => {
      s.debug.failed_cycles = 2;
    });
    const older = createRun(r, 'referee', { now: new Date('2020-01-01T00:00:00Z') });
    const newer = createRun(r, 'qa', { now: new Date('2030-01-01T00:00:00Z') });
    const runs = listRuns(r);
    expect(runs.map((x) => x.run_id)).toEqual([newer.run_id, 'session-a', older.run_id]);
    expect(runs[1]).toMatchObject({ kind: 'session', summary: 'session state; 2 failed debug cycles' });
    // The debug-cycle state still works beside the new files.
    writeRunFile(r, 'session-a', 'outputs/review.json', { verdict: 'ok' });
    expect((await readRunState(r, { MM_RUN_ID: 'session-a' }))!.debug.failed_cycles).toBe(2);
  });

  it('a damaged run.json does not hide the other runs', () => {
    const r = root();
    const good = createRun(r, 'fanout');
    mkdirSync(join(r, '.claude/mm/runs/broken'), { recursive: true });
    writeFileSync(join(r, '.claude/mm/runs/broken/run.json'), '{nope');
    expect(
      listRuns(r)
        .map((x) => x.run_id)
        .sort(),
    ).toEqual(['broken', good.run_id].sort());
  });

  it('setCurrentRun points CURRENT at a session', () => {
    const r = root();
    setCurrentRun(r, 'sess-9');
    expect(readFileSync(join(r, '.claude/mm/runs/CURRENT'), 'utf8')).toBe('sess-9\n');
    expect(createRun(r, 'qa').session).toBe('sess-9');
    expect(existsSync(join(r, '.claude/mm/runs/sess-9'))).toBe(false);
  });
});
