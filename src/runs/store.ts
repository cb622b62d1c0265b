/**
 * The run store: every workflow (referee, fan-out, develop, qa, journal, …) writes its
 * inputs and outputs under `.claude/mm/runs/<run-id>/`, so one model can read another's
 * output (the design's shared memory bus) and a run survives a restart.
 *
 *   <run-id>/run.json      RunMeta: kind, status, session, summary (this module)
 *   <run-id>/state.json    session state (debug cycles; src/runs/state.ts)
 *   <run-id>/inputs/…      what the workflow was asked
 *   <run-id>/outputs/…     what it produced
 *
 * A session run (the CURRENT pointer / MM_RUN_ID, see state.ts) may have only
 * state.json; listRuns() shows it as kind "session". Workflow runs record the session
 * they ran in, which is how `mm journal` finds "this session's runs".
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, normalize, relative, sep } from 'node:path';
import { z } from 'zod';
import { PRIVATE, writeFileAtomic } from '../util/atomic-write.ts';
import { MmError } from '../util/errors.ts';
import { ensureMmStateIgnored } from '../util/mm-state.ts';
import { currentRunId, newRunId, RUN_ID, runsDir } from './state.ts';

const RUN_STATUSES = ['running', 'done', 'failed', 'interrupted'] as const;

const runMetaSchema = z
  .object({
    run_id: z.string(),
    kind: z.string(),
    created: z.string(),
    updated: z.string(),
    status: z.enum(RUN_STATUSES).default('running'),
    /** The session run this workflow ran in (CURRENT / MM_RUN_ID at creation), if any. */
    session: z.string().nullable().default(null),
    /** One line for `mm runs list` and `mm journal`. */
    summary: z.string().default(''),
    /** The mm process running it: a "running" run whose process is gone was cut off (kill -9, crash). */
    pid: z.number().int().optional(),
  })
  .loose(); // later versions may add keys; keep them on rewrite
export type RunMeta = z.infer<typeof runMetaSchema>;

export interface RunInfo extends RunMeta {
  dir: string;
  /** Paths relative to the run folder, e.g. "outputs/verdict.json". */
  files: string[];
}

export function runDir(root: string, runId: string): string {
  if (!RUN_ID.test(runId)) throw new MmError('input', `"${runId}" is not a valid run id (letters, digits, . _ -)`);
  return join(runsDir(root), runId);
}

/** Starts a workflow run and returns its metadata. `env` decides the session it belongs to. */
export function createRun(
  root: string,
  kind: string,
  opts: { env?: NodeJS.ProcessEnv; summary?: string; now?: Date } = {},
): RunMeta {
  const now = opts.now ?? new Date();
  let session: string | null = null;
  try {
    session = currentRunId(root, opts.env ?? {});
  } catch {
    // An invalid MM_RUN_ID must not stop a workflow; the run simply has no session.
  }
  const runId = `${newRunId(now)}-${kind.replace(/[^A-Z0-9]/gi, '').slice(0, 16)}`;
  const meta = runMetaSchema.parse({
    run_id: runId,
    kind,
    created: now.toISOString(),
    updated: now.toISOString(),
    session,
    summary: opts.summary ?? '',
    pid: process.pid,
  });
  markAbandonedRuns(root);
  writeMeta(root, meta);
  return meta;
}

/** Updates status/summary (and any extra keys) of a run. */
export function updateRun(root: string, runId: string, change: Partial<Omit<RunMeta, 'run_id' | 'created'>>): RunMeta {
  const meta = readRunMeta(root, runId);
  if (!meta) throw new MmError('input', `no run "${runId}" with run.json under ${runsDir(root)}`);
  const next = { ...meta, ...change, updated: new Date().toISOString() } as RunMeta;
  writeMeta(root, next);
  return next;
}

/** Writes `<run>/<name>` atomically; `name` may contain folders (e.g. "outputs/a.log") but never leave the run. */
export function writeRunFile(root: string, runId: string, name: string, data: string | Uint8Array | object): string {
  const path = runFilePath(root, runId, name);
  const body = typeof data === 'string' || data instanceof Uint8Array ? data : `${JSON.stringify(data, null, 2)}\n`;
  writeFileAtomic(path, body, PRIVATE);
  return path;
}

/** Removes a run file that no longer holds (a stale answer); nothing when it is absent. */
export function removeRunFile(root: string, runId: string, name: string): void {
  rmSync(runFilePath(root, runId, name), { force: true });
}

export function readRunFile(root: string, runId: string, name: string): string | null {
  const path = runFilePath(root, runId, name);
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

export function readRunJson<T = unknown>(root: string, runId: string, name: string): T | null {
  const text = readRunFile(root, runId, name);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new MmError('input', `${runFilePath(root, runId, name)} is not valid JSON: ${(e as Error).message}`);
  }
}

export function runFilePath(root: string, runId: string, name: string): string {
  const clean = normalize(name);
  if (clean.startsWith('..') || clean.startsWith(sep) || clean === '.' || /^[A-Z]:/i.test(clean)) {
    throw new MmError('input', `run file name "${name}" must stay inside the run folder`);
  }
  return join(runDir(root, runId), clean);
}

/** One run with its file list, or null when the folder does not exist. */
export function readRun(root: string, runId: string): RunInfo | null {
  const dir = runDir(root, runId);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return null;
  const meta = readRunMeta(root, runId) ?? sessionMeta(dir, runId);
  return { ...meta, dir, files: listFiles(dir) };
}

/**
 * Marks "running" runs whose mm process is gone as interrupted (mm was killed, or the
 * machine went down) and returns their ids; a run from another machine's pid space
 * cannot be told apart, so only runs with a recorded pid are looked at.
 */
function markAbandonedRuns(root: string): string[] {
  const base = runsDir(root);
  if (!existsSync(base)) return [];
  const marked: string[] = [];
  for (const name of readdirSync(base)) {
    if (!RUN_ID.test(name)) continue;
    const meta = readRunMeta(root, name);
    if (!meta || meta.status !== 'running' || meta.pid === undefined || meta.pid === process.pid) continue;
    if (processAlive(meta.pid)) continue;
    try {
      writeMeta(root, {
        ...meta,
        status: 'interrupted',
        updated: new Date().toISOString(),
        summary: `${meta.summary}${meta.summary ? ' ' : ''}(mm ended while it ran)`,
      });
      marked.push(name);
    } catch {
      // read-only store: shown as it is
    }
  }
  return marked;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every run, newest first. */
export function listRuns(root: string): RunInfo[] {
  const base = runsDir(root);
  if (!existsSync(base)) return [];
  markAbandonedRuns(root);
  const runs: RunInfo[] = [];
  for (const name of readdirSync(base)) {
    if (!RUN_ID.test(name)) continue;
    const run = readRun(root, name);
    if (run) runs.push(run);
  }
  return runs.sort((a, b) =>
    a.created < b.created ? 1 : a.created > b.created ? -1 : b.run_id.localeCompare(a.run_id),
  );
}

function readRunMeta(root: string, runId: string): RunMeta | null {
  const file = join(runDir(root, runId), 'run.json');
  if (!existsSync(file)) return null;
  try {
    const parsed = runMetaSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // a damaged run.json must not hide the other runs
  }
}

/** A session run without run.json: described from its state.json (or the folder's time). */
function sessionMeta(dir: string, runId: string): RunMeta {
  let created = statSync(dir).mtime.toISOString();
  let updated = created;
  let summary = '';
  const stateFile = join(dir, 'state.json');
  if (existsSync(stateFile)) {
    try {
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
        created?: string;
        updated?: string;
        debug?: { failed_cycles?: number };
      };
      created = state.created ?? created;
      updated = state.updated ?? updated;
      const cycles = state.debug?.failed_cycles ?? 0;
      summary = `session state; ${cycles} failed debug cycle${cycles === 1 ? '' : 's'}`;
    } catch {
      summary = 'session state (unreadable state.json)';
    }
  }
  return { run_id: runId, kind: 'session', created, updated, status: 'running', session: null, summary };
}

function writeMeta(root: string, meta: RunMeta): void {
  ensureMmStateIgnored(root);
  writeFileAtomic(join(runDir(root, meta.run_id), 'run.json'), `${JSON.stringify(meta, null, 2)}\n`, PRIVATE);
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.endsWith('.tmp')) out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Makes a session run current again (what `MM_RUN_ID` unset falls back to). */
export function setCurrentRun(root: string, runId: string): void {
  runDir(root, runId); // validates the id
  writeFileAtomic(join(runsDir(root), 'CURRENT'), `${runId}\n`, PRIVATE);
}
