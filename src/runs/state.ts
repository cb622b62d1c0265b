/**
 * Run state under `.claude/mm/runs/<run-id>/state.json`: what must survive between
 * separate `mm` invocations of one working session (failed debug cycles, for the
 * escalation threshold). The current run is `MM_RUN_ID`, else the one named in
 * `.claude/mm/runs/CURRENT`, created on first write.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE, writeFileAtomic } from '../util/atomic-write.ts';
import { ensureMmStateIgnored, mmStateDir } from '../util/mm-state.ts';
import { MmError } from '../util/errors.ts';
import { withFileLock } from '../usage/lock.ts';
import type { RunState } from './state-schema.ts';

export type { RunState } from './state-schema.ts';

/** What a run id may be: it names a folder, so no separators and no leading dot. */
export const RUN_ID = /^[A-Z0-9][\w.-]{0,80}$/i;

export function runsDir(projectRoot: string): string {
  return join(mmStateDir(projectRoot), 'runs');
}

export function currentRunId(projectRoot: string, env: NodeJS.ProcessEnv): string | null {
  const fromEnv = env.MM_RUN_ID;
  if (fromEnv) {
    if (!RUN_ID.test(fromEnv))
      throw new MmError('input', `MM_RUN_ID "${fromEnv}" is not a valid run id (letters, digits, . _ -)`);
    return fromEnv;
  }
  const pointer = join(runsDir(projectRoot), 'CURRENT');
  if (!existsSync(pointer)) return null;
  const id = readFileSync(pointer, 'utf8').trim();
  return RUN_ID.test(id) ? id : null;
}

/**
 * The current run's id, starting a session run (and CURRENT) when there is none. The run
 * store is git-ignored first, so a session run never shows up in the user's `git status`.
 */
export function currentOrNewRunId(projectRoot: string, env: NodeJS.ProcessEnv): string {
  const existing = currentRunId(projectRoot, env);
  ensureMmStateIgnored(projectRoot);
  if (existing) return existing;
  const id = newRunId();
  writeFileAtomic(join(runsDir(projectRoot), 'CURRENT'), `${id}\n`, PRIVATE);
  return id;
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

/** The current run's state, or null; zod is loaded only when there is a file to check. */
export async function readRunState(projectRoot: string, env: NodeJS.ProcessEnv): Promise<RunState | null> {
  const id = currentRunId(projectRoot, env);
  if (!id) return null;
  const file = join(runsDir(projectRoot), id, 'state.json');
  if (!existsSync(file)) return null;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new MmError('input', `run state ${file} is not valid JSON: ${(e as Error).message}`, {
      hint: 'delete it or run `mm debug reset`',
    });
  }
  const { runStateSchema } = await import('./state-schema.ts');
  const parsed = runStateSchema.safeParse(data);
  if (!parsed.success)
    throw new MmError('input', `run state ${file} is malformed: ${parsed.error.issues[0]?.message}`, {
      hint: 'delete it or run `mm debug reset`',
    });
  return parsed.data;
}

/**
 * Read-modify-write of the current run's state (creating the run if needed), under a
 * lock: 50 parallel `mm debug fail` must count 50, and must agree on one session run.
 */
export async function updateRunState(
  projectRoot: string,
  env: NodeJS.ProcessEnv,
  change: (state: RunState) => void,
): Promise<RunState> {
  const { runStateSchema } = await import('./state-schema.ts');
  ensureMmStateIgnored(projectRoot);
  return withFileLock(join(runsDir(projectRoot), '.state.lock'), () => {
    const id = currentOrNewRunId(projectRoot, env);
    const now = new Date().toISOString();
    const file = join(runsDir(projectRoot), id, 'state.json');
    let state: RunState = runStateSchema.parse({ run_id: id, created: now, updated: now });
    if (existsSync(file)) {
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new MmError('input', `run state ${file} is not valid JSON: ${(e as Error).message}`, {
          hint: 'delete it or run `mm debug reset`',
        });
      }
      const parsed = runStateSchema.safeParse(data);
      if (!parsed.success)
        throw new MmError('input', `run state ${file} is malformed: ${parsed.error.issues[0]?.message}`, {
          hint: 'delete it or run `mm debug reset`',
        });
      state = parsed.data;
    }
    change(state);
    state.updated = now;
    writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, PRIVATE);
    return state;
  });
}
