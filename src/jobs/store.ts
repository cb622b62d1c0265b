/**
 * Background jobs live in the run store, one run of kind "job" each, so they survive
 * restarts and `mm runs list` shows them too:
 *
 *   <run>/job.json       what was started: argv, cwd, pid + its start time (launcher only)
 *   <run>/progress.json  phase, model, done/total (the job's own process only)
 *   <run>/exit.json      exit code and end time (the job's own process, on exit)
 *   <run>/cancel.json    who cancelled and what was killed (`mm jobs cancel` only)
 *   <run>/stdout.log, stderr.log, stdin.txt
 *
 * One writer per file, so no file is ever read-modified-written by two processes. The
 * state is derived on every read: a job whose process is gone without an exit.json is
 * "dead", never "running" forever.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createRun, listRuns, readRun, runDir, updateRun, writeRunFile } from '../runs/store.ts';
import { MmError } from '../util/errors.ts';
import { isSameProcess } from './processes.ts';
import { removeJobTemp } from './temp.ts';

const JOB_KIND = 'job';
export type JobState = 'starting' | 'running' | 'done' | 'failed' | 'cancelled' | 'dead';
export const ENDED: ReadonlySet<JobState> = new Set(['done', 'failed', 'cancelled', 'dead']);

/** A job that has not recorded its pid this long after creation never started. */
const START_GRACE_MS = 30_000;

const jobSpecSchema = z
  .object({
    job: z.string(),
    /** The command's name, e.g. "review diff". */
    command: z.string(),
    /** Arguments after `mm`, exactly as the job's process receives them. */
    argv: z.array(z.string()),
    cwd: z.string(),
    created: z.string(),
    pid: z.number().int().nullable().default(null),
    pid_started: z.string().nullable().default(null),
    stdin: z.boolean().default(false),
    /** Temp paths made for this job by its caller (the MCP server's prompt files): removed when it ends. */
    temp: z.array(z.string()).default([]),
  })
  .loose();
export type JobSpec = z.infer<typeof jobSpecSchema>;

interface JobProgress {
  phase?: string;
  model?: string;
  done?: number;
  total?: number;
  message?: string;
  updated?: string;
}

interface JobExit {
  exit_code: number;
  ended: string;
}

export interface JobCancel {
  at: string;
  signalled: number;
  survivors: number[];
}

export interface JobInfo extends JobSpec {
  state: JobState;
  dir: string;
  progress: JobProgress;
  exit_code: number | null;
  ended: string | null;
  cancelled: JobCancel | null;
  /** Seconds from creation to the end (or to now, while it runs). */
  elapsed_s: number;
}

export function createJob(
  root: string,
  spec: Pick<JobSpec, 'command' | 'argv' | 'cwd' | 'stdin'> & { temp?: string[] },
  env?: NodeJS.ProcessEnv,
): JobSpec {
  const run = createRun(root, JOB_KIND, { env, summary: `mm ${spec.argv.join(' ')}` });
  const job: JobSpec = {
    job: run.run_id,
    ...spec,
    temp: spec.temp ?? [],
    created: run.created,
    pid: null,
    pid_started: null,
  };
  writeRunFile(root, run.run_id, 'job.json', job);
  return job;
}

/** The launcher records the pid once the process exists. */
export function recordPid(root: string, job: JobSpec, pid: number, started: string | null): JobSpec {
  const next = { ...job, pid, pid_started: started };
  writeRunFile(root, job.job, 'job.json', next);
  return next;
}

const readJson = <T>(path: string): T | null => {
  try {
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : null;
  } catch {
    return null; // a torn file reads as absent; its writer replaces it atomically
  }
};

/** One job with its derived state, or null when there is no such job. */
export function readJob(root: string, id: string, now = new Date()): JobInfo | null {
  const dir = runDir(root, id);
  const parsed = jobSpecSchema.safeParse(readJson(join(dir, 'job.json')));
  if (!parsed.success) return null;
  const spec = parsed.data;
  // Liveness first, then exit.json: the process writes exit.json before it exits, so a
  // process seen gone has either written it or died without it (dead).
  const alive =
    spec.pid !== null && spec.pid_started !== null && isSameProcess({ pid: spec.pid, started: spec.pid_started });
  const exit = readJson<JobExit>(join(dir, 'exit.json'));
  const cancelled = readJson<JobCancel>(join(dir, 'cancel.json'));
  const progress = readJson<JobProgress>(join(dir, 'progress.json')) ?? {};
  let state: JobState;
  if (cancelled) state = 'cancelled';
  else if (alive) state = 'running';
  else if (exit) state = exit.exit_code === 0 ? 'done' : 'failed';
  else if (spec.pid === null && now.getTime() - Date.parse(spec.created) < START_GRACE_MS) state = 'starting';
  else state = 'dead';
  const ended = exit?.ended ?? cancelled?.at ?? null;
  const until = ended ? Date.parse(ended) : now.getTime();
  return {
    ...spec,
    state,
    dir,
    progress,
    exit_code: exit?.exit_code ?? null,
    ended,
    cancelled,
    elapsed_s: Math.max(0, Math.round((until - Date.parse(spec.created)) / 1000)),
  };
}

/** Every job, newest first. Dead jobs are marked "interrupted" in run.json on the way. */
export function listJobs(root: string): JobInfo[] {
  const jobs = listRuns(root)
    .filter((r) => r.kind === JOB_KIND)
    .map((r) => readJob(root, r.run_id))
    .filter((j): j is JobInfo => j !== null);
  for (const j of jobs) syncRunStatus(root, j);
  return jobs;
}

/** `id`, or the newest job when none is named. */
export function resolveJob(root: string, id?: string): JobInfo {
  if (!id) {
    const newest = listJobs(root)[0];
    if (!newest)
      throw new MmError('input', 'no jobs yet', { hint: 'start one with --background, e.g. mm qa --yes --background' });
    return newest;
  }
  const job = readJob(root, id);
  if (!job) throw new MmError('input', `no job "${id}"`, { hint: 'mm jobs list shows the jobs of this project' });
  syncRunStatus(root, job);
  return job;
}

const RUN_STATUS: Record<JobState, 'running' | 'done' | 'failed' | 'interrupted'> = {
  starting: 'running',
  running: 'running',
  done: 'done',
  failed: 'failed',
  cancelled: 'interrupted',
  dead: 'interrupted',
};

/** Keeps run.json's status in step with the derived state (what `mm runs list` shows). */
export function syncRunStatus(root: string, job: JobInfo): void {
  // A job killed outright never ran its own clean-up: do it for it.
  if (job.state === 'dead' || job.state === 'cancelled') removeJobTemp(job.temp);
  const run = readRun(root, job.job);
  const want = RUN_STATUS[job.state];
  if (run && run.status !== want) {
    try {
      updateRun(root, job.job, { status: want });
    } catch {
      // a run removed meanwhile (prune): nothing to keep in step
    }
  }
}

export function writeCancel(root: string, id: string, cancel: JobCancel): void {
  writeRunFile(root, id, 'cancel.json', cancel);
}

export function removeJob(root: string, id: string): void {
  rmSync(runDir(root, id), { recursive: true, force: true });
}
