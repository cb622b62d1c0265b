/** `mm jobs wait`: poll the job's derived state until it has ended or the timeout passes. */
import { MmError } from '../util/errors.ts';
import { ENDED, readJob, type JobInfo } from './store.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The ended job, or the still-running one when `timeoutMs` passed first. */
export async function waitForJob(root: string, id: string, timeoutMs?: number): Promise<JobInfo> {
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  let interval = 100;
  for (;;) {
    const job = readJob(root, id);
    if (!job) throw new MmError('failed', `job ${id} disappeared while waiting (pruned?)`);
    if (ENDED.has(job.state) || Date.now() >= deadline) return job;
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
    interval = Math.min(interval * 2, 1000);
  }
}
