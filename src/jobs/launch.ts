/**
 * `mm <command> … --background`: record the job, then start the same command (without
 * --background) as a detached `mm` process that leads its own process group and
 * outlives us, its stdout/stderr going to files in the job's folder. The pid and the
 * process's start time are recorded at once, so a reused pid is never taken for the job.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { runDir, writeRunFile } from '../runs/store.ts';
import { MmError } from '../util/errors.ts';
import { processStartTime } from './processes.ts';
import { createJob, recordPid, type JobSpec } from './store.ts';

export interface StartJobInput {
  root: string;
  /** The command's name, e.g. "review diff". */
  command: string;
  /** The arguments after `mm`, --background already removed. */
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** What the command would have read on stdin (mm ask), handed to the job as a file. */
  stdin?: string;
  /** The script this mm runs (process.argv[1]): the job runs the same one. */
  self?: string;
  /** Temp folders the caller made for this job (its prompt files): the job removes them when it ends. */
  temp?: string[];
}

/** Environment variables that belong to the launcher's own job, if it is one. */
const JOB_ENV = ['MM_JOB_DIR', 'MM_JOB_ID'];

export function startJob(input: StartJobInput): JobSpec {
  const self = input.self ?? process.argv[1];
  if (!self) throw new MmError('failed', 'cannot start a background job: the path of the mm script is unknown');
  const job = createJob(
    input.root,
    { command: input.command, argv: input.argv, cwd: input.cwd, stdin: input.stdin !== undefined, temp: input.temp },
    input.env,
  );
  const dir = runDir(input.root, job.job);
  if (input.stdin !== undefined) writeRunFile(input.root, job.job, 'stdin.txt', input.stdin);
  const fds: number[] = [];
  const open = (name: string, flags: string) => {
    const fd = openSync(join(dir, name), flags);
    fds.push(fd);
    return fd;
  };
  try {
    const env = { ...input.env };
    for (const k of JOB_ENV) delete env[k];
    const child = spawn(process.execPath, [...process.execArgv, self, ...input.argv], {
      cwd: input.cwd,
      env: { ...env, MM_JOB_DIR: dir, MM_JOB_ID: job.job },
      // Its own session and process group: it outlives this process and `mm jobs cancel` kills the group.
      detached: true,
      stdio: [
        input.stdin !== undefined ? open('stdin.txt', 'r') : 'ignore',
        open('stdout.log', 'w'),
        open('stderr.log', 'w'),
      ],
    });
    child.on('error', () => {}); // no pid below says it all
    if (child.pid === undefined) throw new MmError('failed', `cannot start the background job ${job.job}`);
    child.unref();
    return recordPid(input.root, job, child.pid, processStartTime(child.pid));
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}
