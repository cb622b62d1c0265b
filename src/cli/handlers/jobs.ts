import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findConfigFile, projectRoot } from '../../config/locate.ts';
import { cancelJob } from '../../jobs/cancel.ts';
import { ENDED, listJobs, removeJob, resolveJob, syncRunStatus, type JobInfo } from '../../jobs/store.ts';
import { waitForJob } from '../../jobs/wait.ts';
import { parseSince } from '../../usage/report.ts';
import { MmError } from '../../util/errors.ts';
import type { CommandContext, Handler } from '../spec.ts';
import { printJson } from '../config-context.ts';
import { EXIT } from '../exit-codes.ts';

/** Where the jobs of this project live (the config file is not loaded: jobs need none). */
function rootOf(ctx: CommandContext): string {
  const found = findConfigFile({ cwd: ctx.cwd, explicitPath: ctx.configPath, env: ctx.env });
  return projectRoot(ctx.cwd, found?.path ?? null);
}

/** The exit code `wait` and `result` return for a job in this state. */
export function jobExitCode(job: JobInfo): number {
  switch (job.state) {
    case 'done':
    case 'failed':
      return job.exit_code ?? EXIT.failed;
    case 'cancelled':
      return EXIT.job_cancelled;
    case 'dead':
      return EXIT.job_dead;
    default:
      return EXIT.job_still_running;
  }
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function progressText(job: JobInfo): string {
  const p = job.progress;
  const parts = [
    p.phase ? `phase: ${p.phase}` : '',
    p.model ? `model: ${p.model}` : '',
    p.total !== undefined ? `progress: ${p.done ?? 0}/${p.total}` : '',
    p.message ?? '',
  ].filter(Boolean);
  return parts.join(' · ');
}

function stateText(job: JobInfo): string {
  if (job.state === 'done' || job.state === 'failed') return `${job.state} (exit ${job.exit_code})`;
  return job.state;
}

/** What --json shows of a job: its record without the folder layout details. */
function jobJson(job: JobInfo) {
  return {
    job: job.job,
    state: job.state,
    command: `mm ${job.argv.join(' ')}`,
    argv: job.argv,
    cwd: job.cwd,
    created: job.created,
    ended: job.ended,
    elapsed_s: job.elapsed_s,
    exit_code: job.exit_code,
    phase: job.progress.phase ?? null,
    model: job.progress.model ?? null,
    progress: job.progress.total !== undefined ? { done: job.progress.done ?? 0, total: job.progress.total } : null,
    message: job.progress.message ?? null,
    pid: job.pid,
    cancelled: job.cancelled,
    dir: job.dir,
  };
}

export const runJobsList: Handler = async ({ flags }, ctx) => {
  const limit = (flags.limit as number | undefined) ?? 20;
  const jobs = listJobs(rootOf(ctx))
    .filter((j) => !flags.state || j.state === flags.state)
    .slice(0, limit);
  if (ctx.json) printJson(ctx, { jobs: jobs.map(jobJson) });
  else if (jobs.length === 0) ctx.stdout('No jobs. Start one with --background, e.g. mm qa --yes --background');
  else
    for (const j of jobs) {
      ctx.stdout(`${j.job}  ${stateText(j).padEnd(16)} ${duration(j.elapsed_s).padStart(7)}  mm ${j.argv.join(' ')}`);
      const p = progressText(j);
      if (p && !ENDED.has(j.state)) ctx.stdout(`  ${p}`);
    }
  return 0;
};

export const runJobsStatus: Handler = async ({ positionals }, ctx) => {
  const job = resolveJob(rootOf(ctx), positionals[0]);
  if (ctx.json) printJson(ctx, jobJson(job));
  else {
    ctx.stdout(`${job.job}: ${stateText(job)} after ${duration(job.elapsed_s)} — mm ${job.argv.join(' ')}`);
    const p = progressText(job);
    if (p) ctx.stdout(`  ${p}`);
    if (job.state === 'dead')
      ctx.stdout('  its process is gone without an exit code (killed, crashed, or the machine restarted)');
    if (ENDED.has(job.state)) ctx.stdout(`  output: mm jobs result ${job.job}`);
    else ctx.stdout(`  wait: mm jobs wait ${job.job} · cancel: mm jobs cancel ${job.job}`);
  }
  return 0;
};

const readLog = (job: JobInfo, name: string): string => {
  try {
    return readFileSync(join(job.dir, name), 'utf8');
  } catch {
    return '';
  }
};

export const runJobsResult: Handler = async ({ positionals }, ctx) => {
  const job = resolveJob(rootOf(ctx), positionals[0]);
  if (!ENDED.has(job.state)) {
    if (ctx.json) printJson(ctx, { ...jobJson(job), stdout: null, stderr: null, output: null });
    else
      ctx.stderr(`mm: job ${job.job} is still ${job.state}: mm jobs wait ${job.job}, then mm jobs result ${job.job}`);
    return EXIT.job_still_running;
  }
  const stdout = readLog(job, 'stdout.log');
  const stderr = readLog(job, 'stderr.log');
  if (ctx.json) {
    let output: unknown;
    try {
      output = stdout.trim() ? JSON.parse(stdout) : null;
    } catch {
      output = null; // the job did not run with --json
    }
    printJson(ctx, { ...jobJson(job), stdout, stderr, output });
  } else {
    if (stderr.trim()) ctx.stderr(stderr.trimEnd());
    if (stdout) ctx.stdout(stdout.trimEnd());
    if (job.state === 'cancelled') ctx.stderr(`mm: job ${job.job} was cancelled at ${job.cancelled?.at}`);
    if (job.state === 'dead')
      ctx.stderr(`mm: job ${job.job} died without an exit code (killed, crashed, or the machine restarted)`);
  }
  return jobExitCode(job);
};

export const runJobsWait: Handler = async ({ flags, positionals }, ctx) => {
  const root = rootOf(ctx);
  const first = resolveJob(root, positionals[0]);
  const timeoutMs = typeof flags.timeout === 'number' ? flags.timeout * 1000 : undefined;
  const job = await waitForJob(root, first.job, timeoutMs);
  syncRunStatus(root, job);
  if (ctx.json) printJson(ctx, jobJson(job));
  else if (!ENDED.has(job.state))
    ctx.stderr(`mm: job ${job.job} is still ${job.state} after ${flags.timeout} s (it keeps running)`);
  else
    ctx.stderr(
      `mm: job ${job.job} ${stateText(job)} after ${duration(job.elapsed_s)}; output: mm jobs result ${job.job}`,
    );
  return jobExitCode(job);
};

export const runJobsCancel: Handler = async ({ positionals }, ctx) => {
  const root = rootOf(ctx);
  const job = resolveJob(root, positionals[0]);
  const result = await cancelJob(root, job);
  const after = resolveJob(root, job.job);
  if (ctx.json) printJson(ctx, { ...jobJson(after), killed: result });
  else
    ctx.stdout(
      result.survivors.length
        ? `Job ${job.job}: cancelled, but ${result.survivors.length} process(es) survived: ${result.survivors.join(', ')}`
        : `Job ${job.job}: cancelled; its process tree is gone.`,
    );
  return result.survivors.length ? EXIT.failed : EXIT.ok;
};

export const runJobsPrune: Handler = async ({ flags }, ctx) => {
  const root = rootOf(ctx);
  const age = typeof flags['older-than'] === 'string' ? flags['older-than'] : '1d';
  let cutoff: Date;
  try {
    cutoff = parseSince(age);
  } catch {
    throw new MmError('usage', `mm jobs prune: --older-than "${age}": use an age like 30m, 12h, 7d`);
  }
  const pruned = listJobs(root).filter(
    (j) => ENDED.has(j.state) && Date.parse(j.ended ?? j.created) <= cutoff.getTime(),
  );
  if (!flags['dry-run']) for (const j of pruned) removeJob(root, j.job);
  if (ctx.json) printJson(ctx, { dry_run: flags['dry-run'] === true, pruned: pruned.map(jobJson) });
  else {
    for (const j of pruned)
      ctx.stdout(`${flags['dry-run'] ? 'would delete' : 'deleted'} ${j.job}  ${stateText(j)}  mm ${j.argv.join(' ')}`);
    ctx.stdout(
      `${pruned.length} job(s) ${flags['dry-run'] ? 'would be' : ''} pruned; running jobs are never pruned.`.replace(
        '  ',
        ' ',
      ),
    );
  }
  return 0;
};
